import { spawnSync } from 'child_process';
import { globsToRegex, globToRegex, refPatternProblem } from '../../src/private/ref-glob';

/** Whether a POSIX shell `case` statement matches `ref` against `pattern`, as the mirror script does. */
function shellCaseMatches(pattern: string, ref: string): boolean {
  const result = spawnSync('sh', ['-c', 'case "$1" in $2) exit 0 ;; *) exit 1 ;; esac', 'sh', ref, pattern]);
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`sh failed: ${result.stderr}`);
  }
  return result.status === 0;
}

function regexMatches(pattern: string, ref: string): boolean {
  return new RegExp(globsToRegex([pattern])).test(ref);
}

const CASES: readonly [pattern: string, ref: string, matches: boolean][] = [
  ['refs/heads/main', 'refs/heads/main', true],
  ['refs/heads/main', 'refs/heads/main2', false],
  ['refs/heads/main', 'refs/heads/mai', false],
  ['refs/heads/main', 'xrefs/heads/main', false],
  ['refs/heads/*', 'refs/heads/main', true],
  ['refs/heads/*', 'refs/heads/feature/deep/x', true],
  ['refs/heads/*', 'refs/heads/', true],
  ['refs/heads/*', 'refs/heads', false],
  ['refs/heads/*', 'refs/tags/v1', false],
  ['refs/heads/release/*', 'refs/heads/release/1.x', true],
  ['refs/heads/release/*', 'refs/heads/release', false],
  ['refs/heads/release/*', 'refs/heads/releases/1.x', false],
  ['refs/heads/*/wip', 'refs/heads/a/b/wip', true],
  ['refs/heads/*/wip', 'refs/heads/a/wip2', false],
  ['refs/tags/v*', 'refs/tags/v1.2.3', true],
  ['refs/tags/v*', 'refs/tags/release-1', false],
  ['refs/tags/v?', 'refs/tags/v1', true],
  ['refs/tags/v?', 'refs/tags/v10', false],
  ['refs/tags/v?', 'refs/tags/v', false],
  ['refs/heads/a?b', 'refs/heads/a/b', true],
  ['refs/tags/v1.2', 'refs/tags/v1x2', false],
  ['refs/tags/v1.2', 'refs/tags/v1.2', true],
  ['refs/tags/v1+b', 'refs/tags/v1+b', true],
  ['refs/tags/v1+b', 'refs/tags/v11b', false],
  ['refs/heads/a@b=c,d%e#f', 'refs/heads/a@b=c,d%e#f', true],
  ['refs/*', 'refs/notes/commits', true],
  ['refs/**', 'refs/heads/x/y', true],
];

describe('ref glob patterns', () => {
  test.each(CASES)('given pattern %s and ref %s, the trigger regex and a POSIX shell case both say %s', (pattern, ref, matches) => {
    expect(refPatternProblem(pattern)).toBeUndefined();
    expect(regexMatches(pattern, ref)).toBe(matches);
    expect(shellCaseMatches(pattern, ref)).toBe(matches);
  });

  test('given several patterns, the regex matches a ref when any pattern matches it whole', () => {
    const re = new RegExp(globsToRegex(['refs/heads/main', 'refs/tags/v*']));
    expect(re.test('refs/heads/main')).toBe(true);
    expect(re.test('refs/tags/v2')).toBe(true);
    expect(re.test('refs/heads/main/x')).toBe(false);
    expect(re.test('refs/heads/dev')).toBe(false);
  });

  test('given wildcards and literal dots, the regex source is what Harness receives', () => {
    expect(globToRegex('refs/tags/v1.*')).toBe('refs/tags/v1\\..*');
    expect(globsToRegex(['refs/heads/?x'])).toBe('^(?:refs/heads/.x)$');
  });
});
