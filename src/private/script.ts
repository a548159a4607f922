/**
 * Loads the mirror script that the pipeline's Run step embeds verbatim.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The text of `src/scripts/mirror.sh`, from `src/` (ts-jest) or from `lib/` (compiled). */
export function mirrorScript(): string {
  if (cached === undefined) {
    cached = fs.readFileSync(mirrorScriptPath(), 'utf8');
  }
  return cached;
}

/** The path of `src/scripts/mirror.sh` on disk (for running it as a program), from `src/` or from `lib/`. */
export function mirrorScriptPath(): string {
  const candidates = [
    path.join(__dirname, '..', 'scripts', 'mirror.sh'),
    path.join(__dirname, '..', '..', 'src', 'scripts', 'mirror.sh'),
  ];
  const file = candidates.find((p) => fs.existsSync(p));
  if (!file) {
    throw new Error(`mirror script not found; looked in ${candidates.join(', ')}`);
  }
  return file;
}
