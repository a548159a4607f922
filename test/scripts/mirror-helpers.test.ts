/**
 * The mirror script's pure helpers, one table each, run under dash (sh) and bash: the script
 * is sourced with MIRROR_SCRIPT_SOURCED=1, which makes it define its functions and run
 * nothing. The validators take the cases shared with the constructs (test/contract/vectors.ts),
 * so the script and the constructs decide them the same way.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES } from '../../src/model/exit-codes';
import { CLONE_URL_VECTORS, REF_PATTERN_VECTORS, USERNAME_VECTORS } from '../contract/vectors';

const SCRIPT = path.join(__dirname, '..', '..', 'src', 'scripts', 'mirror.sh');
const SHELLS = ['sh', 'bash'] as const;

/** Single-quotes a value for the shell (the values are test data, passed as they are). */
function quoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `calls` (shell lines) in `shell` after sourcing the script, one output line per call
 * (a call prints its own result); `WORK` is a fresh directory.
 */
function run(shell: string, calls: readonly string[]): string[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-helpers-'));
  try {
    const program = [`. ${quoted(SCRIPT)}`, `WORK=${quoted(work)}`, ...calls].join('\n');
    const out = execFileSync(shell, ['-c', program], { env: { PATH: process.env.PATH, MIRROR_SCRIPT_SOURCED: '1' }, encoding: 'utf8' });
    return out.split('\n').slice(0, -1);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One line per value: whether `fn` accepts it. */
function decisions(shell: string, fn: string, values: readonly string[]): boolean[] {
  return run(shell, values.map((v) => `if ${fn} ${quoted(v)}; then echo yes; else echo no; fi`)).map((line) => line === 'yes');
}

describe.each(SHELLS)('mirror.sh helpers under %s', (shell) => {
  test('sourced with MIRROR_SCRIPT_SOURCED=1, the script runs nothing: no output, no exit', () => {
    expect(run(shell, ['echo still here'])).toEqual(['still here']);
  });

  test('valid_pattern decides the shared ref pattern cases as the constructs do', () => {
    expect(decisions(shell, 'valid_pattern', REF_PATTERN_VECTORS.map(([v]) => v))).toEqual(REF_PATTERN_VECTORS.map(([, ok]) => ok));
  });

  test('valid_url decides the shared clone URL cases as the constructs do', () => {
    expect(decisions(shell, 'valid_url', CLONE_URL_VECTORS.map(([v]) => v))).toEqual(CLONE_URL_VECTORS.map(([, ok]) => ok));
  });

  test('valid_username decides the shared user name cases as the constructs do', () => {
    expect(decisions(shell, 'valid_username', USERNAME_VECTORS.map(([v]) => v))).toEqual(USERNAME_VECTORS.map(([, ok]) => ok));
  });

  const REFS: Array<[string, boolean]> = [
    ['refs/heads/main', true],
    ['refs/tags/v1.2.3', true],
    ['refs/heads/feature/x-y_z', true],
    ['refs/heads/a<b>c', true],
    ['refs/remotes/origin/main', false],
    ['refs/heads/', false],
    ['main', false],
    ['refs/heads/a..b', false],
    ['refs/heads/a b', false],
    ['refs/heads/a~1', false],
    ['refs/heads/a^', false],
    ['refs/heads/a:b', false],
    ['refs/heads/a?', false],
    ['refs/heads/a*', false],
    ['refs/heads/a[b', false],
    ['refs/heads/a\\b', false],
    ['refs/heads/.hidden', false],
    ['refs/heads/x.lock', false],
    ['refs/heads/x.', false],
    ['refs/heads/x/', false],
    ['refs/heads/a@{1}', false],
    [`refs/heads/${'a'.repeat(1013)}`, true],
    [`refs/heads/${'a'.repeat(1014)}`, false],
  ];
  test('valid_ref follows git check-ref-format for branches and tags', () => {
    expect(decisions(shell, 'valid_ref', REFS.map(([v]) => v))).toEqual(REFS.map(([, ok]) => ok));
  });

  test('normalized_sha lowers 40 and 64 hex digits and refuses anything else', () => {
    const values = ['A'.repeat(40), 'ab'.repeat(32), 'a'.repeat(39), 'g'.repeat(40), '', 'a'.repeat(41), `${'a'.repeat(40)} `];
    const out = run(shell, values.map((v) => `normalized_sha ${quoted(v)} || printf '(refused)'; echo`));
    expect(out).toEqual(['a'.repeat(40), 'ab'.repeat(32), '(refused)', '(refused)', '(refused)', '(refused)', '(refused)']);
  });

  test('unset_value takes empty and the text null as unset', () => {
    expect(decisions(shell, 'unset_value', ['', 'null', 'NULL', ' ', 'x'])).toEqual([true, true, false, false, false]);
  });

  test('shown quotes a value, and hides one that is too long or holds control characters', () => {
    const out = run(shell, [`shown 'refs/heads/x'; echo`, `shown ${quoted('a'.repeat(301))}; echo`, `shown "$(printf 'a\\033b')"; echo`]);
    expect(out).toEqual(["'refs/heads/x'", '(301 characters, not shown: too long)', '(3 characters, not shown: contains control characters)']);
  });

  test('label_of gives the label of the exit code table for every code', () => {
    const codes = Object.values(MIRROR_EXIT_CODES);
    expect(run(shell, [...codes.map((c) => `label_of ${c.code}; echo`), 'label_of 99; echo'])).toEqual([...codes.map((c) => c.label), 'internal']);
  });

  const GIT_ERRORS: Array<[string, keyof typeof MIRROR_EXIT_CODES]> = [
    ["fatal: Authentication failed for 'https://127.0.0.1/a.git/'", 'AUTH_FAILED'],
    ['fatal: could not read Username for \'https://127.0.0.1\': terminal prompts disabled', 'AUTH_FAILED'],
    ["fatal: unable to access 'https://127.0.0.1/a.git/': The requested URL returned error: 403", 'AUTH_FAILED'],
    ["remote: Repository not found.\nfatal: repository 'https://127.0.0.1/a.git/' not found", 'REPO_NOT_FOUND'],
    ["fatal: unable to access 'https://127.0.0.1/a.git/': SSL certificate problem: self-signed certificate", 'TLS_FAILED'],
    ["fatal: unable to access 'https://127.0.0.1/a.git/': The requested URL returned error: 502", 'UNAVAILABLE'],
    ["fatal: unable to access 'https://127.0.0.1/a.git/': Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused", 'UNAVAILABLE'],
    ['error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500', 'UNAVAILABLE'],
    ["fatal: unable to access 'https://x.invalid/a.git/': Could not resolve host: x.invalid", 'UNAVAILABLE'],
    ['fatal: the remote end hung up unexpectedly', 'UNAVAILABLE'],
    ['fatal: bad object 0123456789abcdef0123456789abcdef01234567', 'GIT_FAILED'],
  ];
  test('classify maps git\'s error output to the exit code table', () => {
    const calls = GIT_ERRORS.map(([text]) => `printf '%s\\n' ${quoted(text)} >"$WORK/err"; classify; echo "$FAIL_CODE"`);
    expect(run(shell, calls).map(Number)).toEqual(GIT_ERRORS.map(([, name]) => MIRROR_EXIT_CODES[name].code));
  });
});
