/**
 * The mirror script end to end: the Run step's command and environment from the example
 * pipeline, Harness expressions resolved from an input set (and a webhook payload), run by
 * the shell the step declares (and by bash), against real git over HTTPS. Every run is
 * also scanned for leaked tokens (see MirrorFixture.run).
 */
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { allRefs, annotatedTag, commitOn, copyRef, deleteRef, objectType, refValue, setRef, makeCommit } from '../helpers/bare-repo';
import { closedPort } from '../helpers/git-server';
import { MirrorFixture, failurePrefix, triggeredInputs } from '../helpers/mirror-fixture';

const MAIN = 'refs/heads/main';
const ZEROS = '0'.repeat(40);

// `sh` is what the step declares (dash on Debian); bash must behave the same.
describe.each(['sh', 'bash'])('mirror script run by %s', (shell) => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });
  const run = (inputs: Parameters<MirrorFixture['run']>[0], options: Parameters<MirrorFixture['run']>[1] = {}) =>
    f.run(inputs, { shellBinary: shell, ...options });
  const receivePackRequests = () => f.server.requests.filter((r) => r.url.includes('receive-pack')).length;

  test('creates a branch the target lacks', async () => {
    // given: a has main with two commits, b is empty
    commitOn(f.repoA, MAIN, 'one');
    const tip = commitOn(f.repoA, MAIN, 'two');
    // when
    const r = await run(f.inputs(MAIN, { referenceShaOld: ZEROS }));
    // then
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target (none) -> ${tip}: created on target`);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
  });

  test('fast-forwards the target', async () => {
    const base = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commitOn(f.repoA, MAIN, 'two');
    const r = await run(f.inputs(MAIN, { referenceShaOld: base }));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
  });

  test('follows a force push under a lease on the old SHA', async () => {
    // given: both at c2 (c1 <- c2); a is force-pushed to c3 (c1 <- c3)
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const c2 = commitOn(f.repoA, MAIN, 'two');
    copyRef(f.repoA, f.repoB, MAIN);
    const c3 = makeCommit(f.repoA, 'three', [c1]);
    setRef(f.repoA, MAIN, c3, c2);
    // when: the webhook's old SHA is c2
    const r = await run(f.inputs(MAIN, { referenceShaOld: c2 }));
    // then
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${c2} -> ${c3}: force-updated target (lease on the source's previous ${c2}: the source was force-pushed)`,
    );
    expect(refValue(f.repoB, MAIN)).toBe(c3);
  });

  test('refuses a force push when the old SHA is unknown', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const c2 = commitOn(f.repoA, MAIN, 'two');
    copyRef(f.repoA, f.repoB, MAIN);
    const c3 = makeCommit(f.repoA, 'three', [c1]);
    setRef(f.repoA, MAIN, c3, c2);
    const r = await run(f.inputs(MAIN));
    expect(r.code).toBe(X.NOT_FAST_FORWARD.code);
    expect(r.lastLine.startsWith(failurePrefix('NOT_FAST_FORWARD'))).toBe(true);
    expect(r.lastLine).toContain(`target ${c2} and source ${c3} have diverged`);
    expect(r.lastLine).toContain(`rerun with referenceShaOld=${c2}`);
    expect(refValue(f.repoB, MAIN)).toBe(c2);
    expect(receivePackRequests()).toBe(0);
  });

  test.each([
    ['unset as null', 'null' as const],
    ['unset as empty', '' as const],
  ])('skips a deletion when syncDelete is not true (%s)', async (_name, unsetAs) => {
    // given: feature deleted on a, still on b
    const x = commitOn(f.repoA, 'refs/heads/feature', 'x');
    copyRef(f.repoA, f.repoB, 'refs/heads/feature');
    deleteRef(f.repoA, 'refs/heads/feature', x);
    // when: syncDelete unset
    const r = await run(f.inputs('refs/heads/feature', { referenceShaOld: x }), { unsetAs });
    // then
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(
      `mirror: ok: refs/heads/feature: target ${x} -> ${x}: the source has no refs/heads/feature (deleted); deletions are not mirrored (syncDelete is not true), skipped`,
    );
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(x);
  });

  test('mirrors a deletion when syncDelete is true and the target holds the old SHA', async () => {
    const x = commitOn(f.repoA, 'refs/heads/feature', 'x');
    copyRef(f.repoA, f.repoB, 'refs/heads/feature');
    deleteRef(f.repoA, 'refs/heads/feature', x);
    const r = await run(f.inputs('refs/heads/feature', { referenceShaOld: x, syncDelete: 'true' }));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/feature: target ${x} -> (none): deleted on target (lease on ${x})`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBeUndefined();
  });

  test('refuses a deletion when the target moved past the old SHA', async () => {
    // given: deleted on a at x; b has moved on to y
    const x = commitOn(f.repoA, 'refs/heads/feature', 'x');
    copyRef(f.repoA, f.repoB, 'refs/heads/feature');
    deleteRef(f.repoA, 'refs/heads/feature', x);
    const y = commitOn(f.repoB, 'refs/heads/feature', 'y');
    const r = await run(f.inputs('refs/heads/feature', { referenceShaOld: x, syncDelete: 'true' }));
    expect(r.code).toBe(X.DELETE_REFUSED.code);
    expect(r.lastLine.startsWith(failurePrefix('DELETE_REFUSED'))).toBe(true);
    expect(r.lastLine).toContain(`deleted on the source at ${x}, but the target holds ${y}`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(y);
  });

  test('refuses a deletion without an old SHA', async () => {
    const x = commitOn(f.repoB, 'refs/heads/feature', 'x');
    const r = await run(f.inputs('refs/heads/feature', { syncDelete: 'true' }));
    expect(r.code).toBe(X.DELETE_REFUSED.code);
    expect(r.lastLine).toContain(`rerun with referenceShaOld=${x}`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(x);
  });

  test('succeeds when a deleted ref is already gone from the target', async () => {
    const r = await run(f.inputs('refs/heads/gone', { referenceShaOld: 'a'.repeat(40), syncDelete: 'true' }));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe('mirror: ok: refs/heads/gone: target (none) -> (none): deleted on both sides, nothing to do');
  });

  test('creates an annotated tag with the same tag object', async () => {
    const c = commitOn(f.repoA, MAIN, 'one');
    const tag = annotatedTag(f.repoA, 'v1.0.0', c, 'release 1.0.0');
    const r = await run(f.inputs('refs/tags/v1.0.0', { referenceShaOld: ZEROS }));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, 'refs/tags/v1.0.0')).toBe(tag);
    expect(objectType(f.repoB, tag)).toBe('tag');
  });

  test('moves a tag under a lease on the old tag object, and refuses without one', async () => {
    // given: v1 on both at t1; a moves v1 to t2
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const t1 = annotatedTag(f.repoA, 'v1', c1, 'first');
    copyRef(f.repoA, f.repoB, 'refs/tags/v1');
    const c2 = commitOn(f.repoA, MAIN, 'two');
    const t2 = annotatedTag(f.repoA, 'v1', c2, 'second', true);
    // when: no old SHA -> refused
    const refused = await run(f.inputs('refs/tags/v1'));
    expect(refused.code).toBe(X.NOT_FAST_FORWARD.code);
    expect(refused.lastLine).toContain(`the tag differs: target has ${t1}, source has ${t2}`);
    expect(refValue(f.repoB, 'refs/tags/v1')).toBe(t1);
    // when: the webhook's old SHA -> moved
    const moved = await run(f.inputs('refs/tags/v1', { referenceShaOld: t1 }));
    expect(moved.code).toBe(0);
    expect(moved.lastLine).toBe(`mirror: ok: refs/tags/v1: target ${t1} -> ${t2}: moved the tag on target (lease on the source's previous ${t1})`);
    expect(refValue(f.repoB, 'refs/tags/v1')).toBe(t2);
    expect(objectType(f.repoB, t2)).toBe('tag');
  });

  test('an echo run (already in sync) pushes nothing', async () => {
    const c = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    // the echo of a -> b's push: b's webhook fires b -> a
    const r = await run(f.inputs(MAIN, { referenceShaOld: ZEROS }, 'b->a'));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${c} -> ${c}: already in sync, nothing to do`);
    expect(receivePackRequests()).toBe(0);
    // and it fetched nothing either: only the two ls-remote calls reached the servers
    expect(r.gitCalls.filter((a) => a[0] === 'fetch' || a[0] === 'push')).toEqual([]);
  });

  test('a two-way race fails on both sides, overwrites nothing, and resolves as the line says', async () => {
    // given: both at c1; a gets a1 and b gets b1 before either mirror run
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const a1 = commitOn(f.repoA, MAIN, 'a1');
    const b1 = commitOn(f.repoB, MAIN, 'b1');
    // when: both webhooks' runs
    const ab = await run(f.inputs(MAIN, { referenceShaOld: c1 }, 'a->b'));
    const ba = await run(f.inputs(MAIN, { referenceShaOld: c1 }, 'b->a'));
    // then: both fail with one line naming both SHAs and the way out
    for (const [r, source, target] of [[ab, a1, b1], [ba, b1, a1]] as const) {
      expect(r.code).toBe(X.TARGET_MOVED.code);
      expect(r.lastLine.startsWith(failurePrefix('TARGET_MOVED'))).toBe(true);
      expect(r.lastLine).toContain(`target ${target} and source ${source} have diverged`);
      expect(r.lastLine).toContain(`the target no longer holds the source's previous ${c1}`);
      expect(r.lastLine).toContain(`rerun with referenceShaOld=${target}`);
      expect(r.lastLine).toContain(`opposite direction with referenceShaOld=${source}`);
    }
    expect(refValue(f.repoA, MAIN)).toBe(a1);
    expect(refValue(f.repoB, MAIN)).toBe(b1);
    // when: the operator keeps a's side as the line says, then b's webhook echoes
    const resolved = await run(f.inputs(MAIN, { referenceShaOld: b1 }, 'a->b'));
    expect(resolved.code).toBe(0);
    const echo = await run(f.inputs(MAIN, { referenceShaOld: b1 }, 'b->a'));
    expect(echo.lastLine).toContain('already in sync');
    expect(allRefs(f.repoA)).toEqual(allRefs(f.repoB));
  });

  test('a target that changes during the push is looked at again, not overwritten', async () => {
    // given: both at c1; a moves on to a1; b's server moves main to b1 the moment the
    // mirror's push arrives (once), so the push's compare-and-swap fails
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const a1 = commitOn(f.repoA, MAIN, 'a1');
    const b1 = makeCommit(f.repoB, 'b1', [c1]);
    f.server.installHook(
      'b',
      'pre-receive',
      '#!/bin/sh\ncat >/dev/null\n[ -e moved ] && exit 0\ntouch moved\n' +
        `env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref ${MAIN} ${b1} ${c1}\n`,
    );
    // when
    const r = await run(f.inputs(MAIN, { referenceShaOld: c1 }));
    // then: the second look sees the divergence and reports it
    expect(r.stdout).toContain(`mirror: ${MAIN} changed while mirroring; looking again`);
    expect(r.code).toBe(X.TARGET_MOVED.code);
    expect(r.lastLine).toContain(`target ${b1} and source ${a1} have diverged`);
    expect(refValue(f.repoB, MAIN)).toBe(b1);
  });

  test('two sides creating the same branch independently is a conflict', async () => {
    const a = commitOn(f.repoA, 'refs/heads/new', 'from a');
    const b = commitOn(f.repoB, 'refs/heads/new', 'from b');
    const r = await run(f.inputs('refs/heads/new', { referenceShaOld: ZEROS }));
    expect(r.code).toBe(X.TARGET_MOVED.code);
    expect(r.lastLine).toContain(`created on the source at ${a}, but the target already has it at ${b}`);
    expect(refValue(f.repoB, 'refs/heads/new')).toBe(b);
  });

  test('leaves a target that is ahead of the source alone', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const c2 = commitOn(f.repoB, MAIN, 'two');
    const r = await run(f.inputs(MAIN, { referenceShaOld: 'b'.repeat(40) }));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${c2} -> ${c2}: target is ahead of source ${c1} (it has all of the source's commits); left unchanged`,
    );
    expect(receivePackRequests()).toBe(0);
  });

  test('runs from a webhook payload through the trigger inputs', async () => {
    const base = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commitOn(f.repoA, MAIN, 'two');
    const inputs = triggeredInputs(
      { ...f.inputs(MAIN), syncDelete: 'false' },
      { ref: MAIN, before: base, after: tip, deleted: false },
    );
    expect(inputs.reference).toBe(MAIN);
    expect(inputs.referenceShaOld).toBe(base);
    const r = await run(inputs);
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
  });

  test('tolerates a runner that prefixes set -xe, and prints no credential then either', async () => {
    commitOn(f.repoA, MAIN, 'one');
    const r = await run(f.inputs(MAIN), { prefix: 'set -xe\n' });
    expect(r.code).toBe(0);
    expect(r.lastLine).toContain('created on target');
    expect(r.stderr).not.toContain('Authorization');
  });

  test('sends each side its own Basic user name (git by default)', async () => {
    const tip = commitOn(f.repoA, MAIN, 'one');
    const r = await run(f.inputs(MAIN, { targetUsername: 'x-token-auth' }));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
    const usersOf = (repo: string) => [...new Set(f.server.requests.filter((q) => q.url.startsWith(`/${repo}.git/`)).map((q) => q.basicUser))];
    expect(usersOf('a')).toEqual(['git']);
    expect(usersOf('b')).toEqual(['x-token-auth']);
  });

  test('a wrong token fails as auth-failed, without printing either token', async () => {
    commitOn(f.repoA, MAIN, 'one');
    const r = await run({ ...f.inputs(MAIN), targetToken: 'not-the-token' });
    expect(r.code).toBe(X.AUTH_FAILED.code);
    expect(r.lastLine.startsWith(failurePrefix('AUTH_FAILED'))).toBe(true);
    expect(r.lastLine).toContain(`on target ${f.server.url('b')}: authentication refused (HTTP 401)`);
    expect(refValue(f.repoB, MAIN)).toBeUndefined();
  });

  test('a token without push permission fails as auth-failed (HTTP 403)', async () => {
    commitOn(f.repoA, MAIN, 'one');
    f.server.allowToken('b', 'read-only-token', 'reader', { readOnly: true });
    const r = await run({ ...f.inputs(MAIN), targetToken: 'read-only-token' });
    expect(r.code).toBe(X.AUTH_FAILED.code);
    expect(r.lastLine).toContain('access denied (HTTP 403)');
  });

  test('an unknown repository fails as repo-not-found', async () => {
    commitOn(f.repoA, MAIN, 'one');
    const r = await run({ ...f.inputs(MAIN), targetURL: f.server.url('nope') });
    expect(r.code).toBe(X.REPO_NOT_FOUND.code);
    expect(r.lastLine).toContain('repository not found (HTTP 404)');
  });

  test('an unreachable target is retried, then fails as unavailable', async () => {
    commitOn(f.repoA, MAIN, 'one');
    const port = await closedPort();
    const r = await run({ ...f.inputs(MAIN), targetURL: `https://127.0.0.1:${port}/b.git` }, { extraEnv: { MIRROR_RETRY_ATTEMPTS: '3' } });
    expect(r.code).toBe(X.UNAVAILABLE.code);
    expect(r.lastLine).toContain('connection failed (gave up after 3 attempts)');
    expect(r.stdout.match(/transient failure \(attempt \d of 3\)/g)).toHaveLength(2);
  });

  test('HTTP 503 answers are retried and the run then succeeds', async () => {
    const tip = commitOn(f.repoA, MAIN, 'one');
    f.server.failNext(2, 503, 'a');
    const r = await run(f.inputs(MAIN));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('transient failure (attempt 1 of 4)');
    expect(r.stdout).toContain('server error (HTTP 5xx)');
    expect(refValue(f.repoB, MAIN)).toBe(tip);
    expect(f.server.requests.filter((q) => q.status === 503)).toHaveLength(2);
  });

  test('dropped connections are retried and the run then succeeds', async () => {
    const tip = commitOn(f.repoA, MAIN, 'one');
    f.server.failNext(2, 0, 'b');
    const r = await run(f.inputs(MAIN));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/transient failure \(attempt \d of 4\): .*: connection failed/g)).toHaveLength(2);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
  });

  test('persistent HTTP 500 gives up as unavailable after the attempts', async () => {
    commitOn(f.repoA, MAIN, 'one');
    f.server.failNext(10, 500, 'b');
    const r = await run(f.inputs(MAIN), { extraEnv: { MIRROR_RETRY_ATTEMPTS: '2' } });
    expect(r.code).toBe(X.UNAVAILABLE.code);
    expect(r.lastLine).toContain('server error (HTTP 5xx) (gave up after 2 attempts)');
  });

  test('an untrusted certificate fails as tls-failed and is not retried', async () => {
    commitOn(f.repoA, MAIN, 'one');
    const r = await run(f.inputs(MAIN), { extraEnv: { GIT_SSL_CAINFO: '/dev/null' } });
    expect(r.code).toBe(X.TLS_FAILED.code);
    expect(r.stdout).not.toContain('transient failure');
  });

  test('a push the target refuses (server hook) fails as push-rejected with the reason', async () => {
    commitOn(f.repoA, MAIN, 'one');
    f.server.installHook('b', 'pre-receive', '#!/bin/sh\necho "main is protected" >&2\nexit 1\n');
    const r = await run(f.inputs(MAIN));
    expect(r.code).toBe(X.PUSH_REJECTED.code);
    expect(r.lastLine).toContain('the target refused the push: [remote rejected] (pre-receive hook declined)');
    expect(r.stdout).toContain('main is protected');
  });
});
