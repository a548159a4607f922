/**
 * Access to ../shared: the official Harness schemas and real provider payloads. They are
 * third-party data, read where they are and never copied into the repository. When the
 * folder is absent, tests that need it are skipped with a message saying so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Absolute path of the shared folder beside the repository. */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');

/** Whether `../shared/<sub>` exists; prints a clear skip notice when it does not. */
export function sharedAvailable(sub: string): boolean {
  const present = fs.existsSync(path.join(SHARED_DIR, sub));
  if (!present) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${path.join(SHARED_DIR, sub)} is absent; tests that need it are skipped (CI always has it).`);
  }
  return present;
}

/** `describe`, or `describe.skip` when `../shared/<sub>` is absent. */
export function describeWithShared(sub: string): jest.Describe {
  return sharedAvailable(sub) ? describe : describe.skip;
}
