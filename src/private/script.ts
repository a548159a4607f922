/**
 * Loads the mirror script that the pipeline's Run step embeds verbatim.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The text of `src/scripts/mirror.sh`, from `src/` (ts-jest) or from `lib/` (compiled). */
export function mirrorScript(): string {
  if (cached === undefined) {
    const candidates = [
      path.join(__dirname, '..', 'scripts', 'mirror.sh'),
      path.join(__dirname, '..', '..', 'src', 'scripts', 'mirror.sh'),
    ];
    const file = candidates.find((p) => fs.existsSync(p));
    if (!file) {
      throw new Error(`mirror script not found; looked in ${candidates.join(', ')}`);
    }
    cached = fs.readFileSync(file, 'utf8');
  }
  return cached;
}
