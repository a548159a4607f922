/**
 * The validation rules the constructs and the mirror script both enforce, as one set of
 * cases each side must decide the same way: the constructs refuse at synth time what the
 * script would refuse at run time, and accept nothing the script refuses.
 */

/** Ref patterns (the `refs` prop; the `refFilters` variable). */
export const REF_PATTERN_VECTORS: ReadonlyArray<readonly [string, boolean]> = [
  ['refs/heads/main', true],
  ['refs/heads/*', true],
  ['refs/tags/v*', true],
  ['refs/heads/release/?.x', true],
  ['refs/*', true],
  ['refs/heads/feature+x@y=z,w%q#r', true],
  ['heads/main', false],
  ['refs/', false],
  ['refs/heads/', false],
  ['refs/heads//x', false],
  ['refs/heads/a..b', false],
  ['refs/heads/x.', false],
  ['refs/heads/.hidden', false],
  ['refs/heads/x.lock', false],
  ['refs/heads/x.lock/y', false],
  ['refs/heads/feat ure', false],
  ['refs/heads/[ab]', false],
  ['refs/heads/$(id)', false],
  ['refs/heads/<+secret>', false],
  ['refs/heads/${x}', false],
  ["refs/heads/a'b", false],
  ['refs/heads/a\\b', false],
  ['refs/heads/a~1', false],
  ['refs/heads/a^', false],
  ['refs/heads/a:b', false],
];

/** Clone URLs (`source.url`, `target.url`; `MIRROR_SOURCE_URL`, `MIRROR_TARGET_URL`). */
export const CLONE_URL_VECTORS: ReadonlyArray<readonly [string, boolean]> = [
  ['https://github.com/acme/api.git', true],
  ['https://git.example.com:8443/scm/acme/api.git', true],
  ['https://dev.azure.com/acme/platform/_git/api', true],
  ['https://gitlab.com/acme/group/sub/api', true],
  ['http://github.com/acme/api.git', false],
  ['git@github.com:acme/api.git', false],
  ['ssh://git@github.com/acme/api.git', false],
  ['https://user:pw@github.com/acme/api.git', false],
  ['https://user@github.com/acme/api.git', false],
  ['https://github.com/acme/api.git?x=1', false],
  ['https://github.com/acme/api.git#frag', false],
  ['https://github.com/', false],
  ['https://github.com', false],
  ['https://github.com/acme/a pi.git', false],
  ["https://github.com/acme/a'pi.git", false],
  ['https://github.com/acme/a"pi.git', false],
  ['https://github.com/acme/a`pi.git', false],
  ['https://github.com/acme/a\\pi.git', false],
  ['https://github.com/acme/$(id).git', false],
  ['https://github.com/acme/api;rm.git', false],
  ['https://github.com/acme//api.git', false],
  ['-https://github.com/acme/api.git', false],
];

/** User names sent with a token (`username`; `MIRROR_SOURCE_USERNAME`, `MIRROR_TARGET_USERNAME`). */
export const USERNAME_VECTORS: ReadonlyArray<readonly [string, boolean]> = [
  ['git', true],
  ['x-token-auth', true],
  ['mirror.bot@acme+ci', true],
  ['a'.repeat(128), true],
  ['a'.repeat(129), false],
  ['git:pw', false],
  ['git pw', false],
  ['git/pw', false],
  ['$(id)', false],
  ['-o', true],
];
