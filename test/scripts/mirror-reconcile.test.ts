/**
 * Mode reconcile end to end: the Run step from the example pipeline with the inputs the
 * scheduled reconcile trigger gives (mode reconcile, reference refs/*, no old SHA), run by
 * sh (dash) and bash against real git over HTTPS. Pushes that fired no webhook are made
 * over HTTPS too, several refs in one push. Every run is scanned for leaked tokens (see
 * MirrorFixture.run).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { RECONCILE_REFERENCE } from '../../src/model/trigger';
import { allRefs, annotatedTag, commitOn, copyRef, deleteRef, gitIn, isAncestor, makeCommit, objectType, refValue, setRef } from '../helpers/bare-repo';
import { MirrorFixture, MirrorInputs, failurePrefix } from '../helpers/mirror-fixture';

const MAIN = 'refs/heads/main';
const run$ = promisify(execFile);

describe.each(['sh', 'bash'])('mirror script in mode reconcile, run by %s', (shell) => {
  let f: MirrorFixture;
  let scratch: string[] = [];
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
    scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
    scratch = [];
  });

  /** The inputs of the scheduled reconcile trigger (plus the input set's twoWay and refFilters). */
  const reconcileInputs = (extra: Partial<MirrorInputs> = {}, direction: 'a->b' | 'b->a' = 'a->b') =>
    f.inputs(RECONCILE_REFERENCE, { mode: 'reconcile', referenceShaOld: '', syncDelete: 'false', twoWay: 'false', ...extra }, direction);

  const run = async (inputs: MirrorInputs, options: Parameters<MirrorFixture['run']>[1] = {}) => {
    const r = await f.run(inputs, { shellBinary: shell, ...options });
    // the reference of a reconcile run is never handed to git
    expect(r.gitCalls.filter((args) => args.includes(RECONCILE_REFERENCE))).toEqual([]);
    return r;
  };
  const pushesTo = (repo: string) => f.server.requests.filter((q) => q.method === 'POST' && q.url === `/${repo}.git/git-receive-pack`).length;
  const summary = (c: { created?: number; ff?: number; deleted?: number; inSync?: number; kept?: number; conflicts?: number; notMoved?: number }) =>
    `reconcile: ${c.created ?? 0} created, ${c.ff ?? 0} fast-forwarded, ${c.deleted ?? 0} deleted, ${c.inSync ?? 0} in sync, ` +
    `${c.kept ?? 0} kept, ${c.conflicts ?? 0} conflicts, ${c.notMoved ?? 0} not moved`;

  /** An empty bare repository outside the server, standing in for a developer's clone. */
  const clone = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-clone-'));
    scratch.push(dir);
    gitIn(dir, ['init', '--bare', '--quiet']);
    return dir;
  };

  /** Pushes `refs` from `from` to repository `repo` over HTTPS, all in one push (no webhook fires). */
  const pushAtOnce = async (from: string, repo: 'a' | 'b', refs: readonly string[]) => {
    const token = repo === 'a' ? f.tokenA : f.tokenB;
    await run$('git', ['--git-dir', from, 'push', '--quiet', '--', f.server.url(repo), ...refs.map((r) => `${r}:${r}`)], {
      env: {
        PATH: process.env.PATH,
        HOME: from,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_SSL_CAINFO: f.server.caFile!,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`git:${token}`).toString('base64')}`,
      },
    });
  };

  test('one push of 5 tags and 3 branches that fired no webhook: the reconcile brings the target in line in one fetch and one push', async () => {
    // given: main and tag v0 on both sides; then a developer pushes, in one push to a,
    // main's fast-forward, two new branches and five tags (three annotated)
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const v0 = annotatedTag(f.repoA, 'v0', c1, 'v0');
    copyRef(f.repoA, f.repoB, MAIN);
    copyRef(f.repoA, f.repoB, 'refs/tags/v0');
    const dev = clone();
    copyRef(f.repoA, dev, MAIN);
    const c2 = commitOn(dev, MAIN, 'two');
    const x = commitOn(dev, 'refs/heads/feature/x', 'x', c2);
    const y = commitOn(dev, 'refs/heads/fix-y', 'y', c1);
    const t1 = annotatedTag(dev, 'v1.0.0', c2, 'release 1.0.0');
    const t2 = annotatedTag(dev, 'v1.0.1', x, 'release 1.0.1');
    const t3 = annotatedTag(dev, 'nightly/2024-06-11', y, 'nightly');
    setRef(dev, 'refs/tags/light-1', c2, undefined);
    setRef(dev, 'refs/tags/light-2', y, undefined);
    const pushed = [MAIN, 'refs/heads/feature/x', 'refs/heads/fix-y', 'refs/tags/v1.0.0', 'refs/tags/v1.0.1', 'refs/tags/nightly/2024-06-11', 'refs/tags/light-1', 'refs/tags/light-2'];
    await pushAtOnce(dev, 'a', pushed);
    expect(pushesTo('a')).toBe(1);
    const before = f.server.requests.length;

    // when: the scheduled reconcile runs (processes watched for the tokens too)
    const r = await run(reconcileInputs(), { watchProcesses: true });

    // then: every ref of a is on b, annotated tags with the same tag objects
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ created: 7, ff: 1, inSync: 1 })}`);
    expect(allRefs(f.repoB)).toEqual(allRefs(f.repoA));
    expect(refValue(f.repoB, MAIN)).toBe(c2);
    for (const tag of [t1, t2, t3, v0]) {
      expect(objectType(f.repoB, tag)).toBe('tag');
    }
    expect(r.stdout).toContain(`mirror: fast-forward: ${MAIN}: ${c1} -> ${c2}\n`);
    expect(r.stdout).toContain(`mirror: create: refs/tags/v1.0.0: (none) -> ${t1}\n`);
    expect(r.stdout).not.toContain('^{}');
    // one listing per side, one fetch, one push
    const calls = r.gitCalls.map((a) => a[0]);
    expect(calls.filter((c) => c === 'ls-remote')).toHaveLength(2);
    expect(calls.filter((c) => c === 'fetch')).toHaveLength(1);
    expect(calls.filter((c) => c === 'push')).toHaveLength(1);
    expect(f.server.requests.slice(before).filter((q) => q.url === '/b.git/git-receive-pack')).toHaveLength(1);
  });

  test('deletions: kept without syncDelete, deleted with it (one-way)', async () => {
    // given: main, feature and tag old on both sides; feature and old deleted on a
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const x = commitOn(f.repoA, 'refs/heads/feature', 'x', c1);
    const old = annotatedTag(f.repoA, 'old', c1, 'old');
    for (const ref of [MAIN, 'refs/heads/feature', 'refs/tags/old']) {
      copyRef(f.repoA, f.repoB, ref);
    }
    deleteRef(f.repoA, 'refs/heads/feature', x);
    deleteRef(f.repoA, 'refs/tags/old', old);

    // when: syncDelete is false
    const kept = await run(reconcileInputs({ syncDelete: 'false' }));
    // then: both kept, nothing pushed
    expect(kept.code).toBe(0);
    expect(kept.lastLine).toBe(`mirror: ok: ${summary({ inSync: 1, kept: 2 })}`);
    expect(kept.stdout).toContain(`mirror: kept: refs/heads/feature: only on the target (${x}); deletions are not mirrored (syncDelete is not true)\n`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(x);
    expect(pushesTo('b')).toBe(0);

    // when: syncDelete is true
    const deleted = await run(reconcileInputs({ syncDelete: 'true' }));
    // then: both deleted, main untouched
    expect(deleted.code).toBe(0);
    expect(deleted.lastLine).toBe(`mirror: ok: ${summary({ deleted: 2, inSync: 1 })}`);
    expect(deleted.stdout).toContain(`mirror: delete: refs/tags/old: ${old} -> (none) (gone on the source; syncDelete is true)\n`);
    expect(allRefs(f.repoB)).toEqual({ [MAIN]: c1 });
  });

  test('a source that lists nothing at all never empties the target, even with syncDelete', async () => {
    const c1 = commitOn(f.repoB, MAIN, 'only on b');
    const r = await run(reconcileInputs({ syncDelete: 'true' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mirror: reconcile: the source lists no branches or tags at all; deletions are skipped this time\n');
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ kept: 1 })}`);
    expect(refValue(f.repoB, MAIN)).toBe(c1);
    expect(pushesTo('b')).toBe(0);
  });

  test('refFilters: only matching refs are created or deleted', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    commitOn(f.repoA, 'refs/heads/feature', 'feature', c1);
    const rel = commitOn(f.repoA, 'refs/heads/release/1.0', 'release', c1);
    const v1 = annotatedTag(f.repoA, 'v1', c1, 'v1');
    setRef(f.repoA, 'refs/tags/x1', c1, undefined);
    const stale = commitOn(f.repoB, 'refs/heads/stale', 'only on b');
    const r = await run(reconcileInputs({ refFilters: 'refs/heads/main refs/heads/release/*\nrefs/tags/v*', syncDelete: 'true' }));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ created: 3 })}`);
    expect(allRefs(f.repoB)).toEqual({ [MAIN]: c1, 'refs/heads/release/1.0': rel, 'refs/tags/v1': v1, 'refs/heads/stale': stale });
    expect(r.stdout).not.toContain('refs/heads/feature');
    expect(r.stdout).not.toContain('refs/tags/x1');
  });

  test('two-way: diverged branch, differing tag and refs only on the target move nothing that would lose a commit; the rest is synced', async () => {
    // given: main diverged (a1 and b1 on c1); tag v1 differs; behind: b behind a;
    // ahead: b ahead of a; only-b: only on b; new and v2: only on a
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const a1 = commitOn(f.repoA, MAIN, 'a1');
    const b1 = commitOn(f.repoB, MAIN, 'b1');
    const ta = annotatedTag(f.repoA, 'v1', c1, 'v1 made on a');
    const tb = annotatedTag(f.repoB, 'v1', c1, 'v1 made on b');
    const d1 = commitOn(f.repoA, 'refs/heads/behind', 'd1', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/behind');
    const d2 = commitOn(f.repoA, 'refs/heads/behind', 'd2');
    const e1 = commitOn(f.repoA, 'refs/heads/ahead', 'e1', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/ahead');
    const e2 = commitOn(f.repoB, 'refs/heads/ahead', 'e2');
    const onlyB = commitOn(f.repoB, 'refs/heads/only-b', 'only on b', c1);
    const fresh = commitOn(f.repoA, 'refs/heads/new', 'new', c1);
    setRef(f.repoA, 'refs/tags/v2', d2, undefined);
    const bBefore = allRefs(f.repoB);

    // when: a -> b reconcile of a two-way pair, with syncDelete true (ignored)
    const r = await run(reconcileInputs({ twoWay: 'true', syncDelete: 'true' }));

    // then: the conflicts are listed with both SHAs; the rest is in line
    expect(r.code).toBe(X.RECONCILE_CONFLICTS.code);
    expect(r.lastLine).toBe(
      `${failurePrefix('RECONCILE_CONFLICTS')}${summary({ created: 2, ff: 1, kept: 2, conflicts: 2 })}; the conflicts listed above were left as they are (each line says how to resolve it)`,
    );
    expect(r.stdout).toContain('mirror: reconcile: syncDelete is true but the pair is two-way: treated as false (a two-way reconcile never deletes)\n');
    const line = (prefix: string) => r.stdout.split('\n').find((l) => l.startsWith(prefix)) ?? '';
    const mainLine = line(`mirror: conflict: ${MAIN}: `);
    expect(mainLine).toContain(`target ${b1} and source ${a1} have diverged`);
    expect(mainLine).toContain(`reference=${MAIN} and referenceShaOld=${b1}`);
    expect(mainLine).toContain(`opposite direction in mode ref with reference=${MAIN} and referenceShaOld=${a1}`);
    expect(line('mirror: conflict: refs/tags/v1: ')).toContain(`the tag differs: target has ${tb}, source has ${ta}`);
    expect(line('mirror: kept: refs/heads/ahead: ')).toContain(`target ${e2} is ahead of source ${e1}`);
    expect(line('mirror: kept: refs/heads/only-b: ')).toContain('a two-way reconcile never deletes');
    expect(allRefs(f.repoB)).toEqual({ ...bBefore, 'refs/heads/behind': d2, 'refs/heads/new': fresh, 'refs/tags/v2': d2 });
    for (const [ref, value] of Object.entries(bBefore)) {
      expect(isAncestor(f.repoB, value, allRefs(f.repoB)[ref])).toBe(true);
    }
    expect(d1).not.toBe(d2);

    // when: the opposite direction's reconcile runs
    const back = await run(reconcileInputs({ twoWay: 'true' }, 'b->a'));
    // then: it carries ahead and only-b to a and reports the same two conflicts
    expect(back.code).toBe(X.RECONCILE_CONFLICTS.code);
    expect(back.lastLine).toContain(summary({ created: 1, ff: 1, inSync: 3, conflicts: 2 }));
    expect(refValue(f.repoA, 'refs/heads/ahead')).toBe(e2);
    expect(refValue(f.repoA, 'refs/heads/only-b')).toBe(onlyB);
    expect(refValue(f.repoA, MAIN)).toBe(a1);
    expect(refValue(f.repoA, 'refs/tags/v1')).toBe(ta);
  });

  test('one-way: a target ahead of the source or diverged from it is a conflict, never overwritten', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const a1 = commitOn(f.repoA, MAIN, 'a1');
    const b1 = commitOn(f.repoB, MAIN, 'b1');
    commitOn(f.repoA, 'refs/heads/ahead', 'e1', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/ahead');
    const e2 = commitOn(f.repoB, 'refs/heads/ahead', 'e2');
    const fresh = commitOn(f.repoA, 'refs/heads/new', 'new', c1);
    const r = await run(reconcileInputs({ syncDelete: 'true' }));
    expect(r.code).toBe(X.RECONCILE_CONFLICTS.code);
    expect(r.lastLine).toContain(summary({ created: 1, conflicts: 2 }));
    expect(r.stdout).toContain(`mirror: conflict: refs/heads/ahead: target ${e2} is ahead of source `);
    expect(r.stdout).toContain(`mirror: conflict: ${MAIN}: target ${b1} and source ${a1} have diverged`);
    expect(refValue(f.repoB, MAIN)).toBe(b1);
    expect(refValue(f.repoB, 'refs/heads/ahead')).toBe(e2);
    expect(refValue(f.repoB, 'refs/heads/new')).toBe(fresh);
  });

  test('everything already equal: no fetch and no push', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    commitOn(f.repoA, 'refs/heads/dev', 'dev', c1);
    annotatedTag(f.repoA, 'v1', c1, 'v1');
    setRef(f.repoA, 'refs/tags/v2', c1, undefined);
    for (const ref of Object.keys(allRefs(f.repoA))) {
      copyRef(f.repoA, f.repoB, ref);
    }
    const r = await run(reconcileInputs({ twoWay: 'true' }, 'b->a'));
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ inSync: 4 })}`);
    expect(r.gitCalls.filter((a) => a[0] === 'fetch' || a[0] === 'push')).toEqual([]);
    expect(pushesTo('a') + pushesTo('b')).toBe(0);
  });

  test('a ref that changes on the target during the push is not overwritten; the others are still pushed', async () => {
    // given: dev on both at c1, a moves it to a1; b's server moves dev to b1 the moment
    // the reconcile's push arrives (once)
    const c1 = commitOn(f.repoA, 'refs/heads/dev', 'one');
    copyRef(f.repoA, f.repoB, 'refs/heads/dev');
    const a1 = commitOn(f.repoA, 'refs/heads/dev', 'a1');
    const b1 = makeCommit(f.repoB, 'b1', [c1]);
    const fresh = commitOn(f.repoA, 'refs/heads/new', 'new', c1);
    f.server.installHook(
      'b',
      'pre-receive',
      '#!/bin/sh\ncat >/dev/null\n[ -e moved ] && exit 0\ntouch moved\n' +
        `env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/dev ${b1} ${c1}\n`,
    );
    const r = await run(reconcileInputs());
    expect(r.stdout).toContain(`mirror: fast-forward: refs/heads/dev: ${c1} -> ${a1}\n`);
    expect(r.stdout).toContain('mirror: not moved: refs/heads/dev: it changed on the target while reconciling: [remote rejected] (failed to update ref)');
    expect(r.code).toBe(X.TARGET_MOVED.code);
    expect(r.lastLine).toBe(
      `${failurePrefix('TARGET_MOVED')}${summary({ created: 1, notMoved: 1 })}; refs listed above changed on the target while reconciling and were not overwritten; the next run looks again`,
    );
    expect(refValue(f.repoB, 'refs/heads/dev')).toBe(b1);
    expect(refValue(f.repoB, 'refs/heads/new')).toBe(fresh);
    // the next reconcile sees the divergence
    const next = await run(reconcileInputs());
    expect(next.code).toBe(X.RECONCILE_CONFLICTS.code);
    expect(next.stdout).toContain(`mirror: conflict: refs/heads/dev: target ${b1} and source ${a1} have diverged`);
  });

  test('a ref that changes on the target between the listing and the push fails its lease and is not overwritten', async () => {
    // given: dev on both at c1, a moves it to a1; a git wrapper first on PATH moves b's
    // dev to b1 just before the script's push
    const c1 = commitOn(f.repoA, 'refs/heads/dev', 'one');
    copyRef(f.repoA, f.repoB, 'refs/heads/dev');
    const a1 = commitOn(f.repoA, 'refs/heads/dev', 'a1');
    const b1 = makeCommit(f.repoB, 'b1', [c1]);
    const fresh = commitOn(f.repoA, 'refs/heads/new', 'new', c1);
    const bin = clone();
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nif [ "$1" = push ]; then\n  '${realGit}' --git-dir '${f.repoB}' update-ref refs/heads/dev ${b1} ${c1} || exit 99\nfi\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    const r = await run(reconcileInputs(), { extraEnv: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stdout).toContain(`mirror: fast-forward: refs/heads/dev: ${c1} -> ${a1}\n`);
    expect(r.stdout).toContain('mirror: not moved: refs/heads/dev: it changed on the target while reconciling: [rejected] (stale info)');
    expect(r.code).toBe(X.TARGET_MOVED.code);
    expect(r.lastLine).toContain(summary({ created: 1, notMoved: 1 }));
    expect(refValue(f.repoB, 'refs/heads/dev')).toBe(b1);
    expect(refValue(f.repoB, 'refs/heads/new')).toBe(fresh);
  });

  test('a source ref deleted between the listing and the fetch: the script lists again', async () => {
    // given: a has main and gone; a git wrapper first on PATH deletes gone on the server
    // just before the script's first fetch
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const gone = commitOn(f.repoA, 'refs/heads/gone', 'gone', c1);
    const bin = clone();
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nif [ "$1" = fetch ] && [ ! -e '${bin}/done' ]; then\n  : >'${bin}/done'\n` +
        `  '${realGit}' --git-dir '${f.repoA}' update-ref -d refs/heads/gone ${gone} || exit 99\nfi\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    const r = await run(reconcileInputs(), { extraEnv: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stdout).toContain('mirror: reconcile: refs changed while reconciling; listing again\n');
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ created: 1 })}`);
    expect(allRefs(f.repoB)).toEqual({ [MAIN]: c1 });
  });

  test('ref names a shell would read as code are mirrored literally, never run', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    for (const name of ['refs/heads/$(touch${IFS}marker)', 'refs/heads/a;touch${IFS}marker', 'refs/tags/`touch${IFS}marker`', "refs/tags/it's"]) {
      setRef(f.repoA, name, c1, undefined);
    }
    const r = await run(reconcileInputs());
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${summary({ created: 5 })}`);
    expect(allRefs(f.repoB)).toEqual(allRefs(f.repoA));
    expect(r.cwdEntries).toEqual([]);
    expect(r.homeEntries).toEqual([]);
  });

  test('a ref the target refuses fails as push-rejected; the others are still pushed', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    commitOn(f.repoA, 'refs/heads/protected', 'p', c1);
    f.server.installHook('b', 'update', '#!/bin/sh\n[ "$1" = refs/heads/protected ] || exit 0\necho "protected is protected" >&2\nexit 1\n');
    const r = await run(reconcileInputs());
    expect(r.code).toBe(X.PUSH_REJECTED.code);
    expect(r.stdout).toContain('mirror: not moved: refs/heads/protected: the target refused the update: [remote rejected] (hook declined)');
    expect(r.stdout).toContain('protected is protected');
    expect(r.lastLine).toContain(summary({ created: 1, notMoved: 1 }));
    expect(refValue(f.repoB, MAIN)).toBe(c1);
    expect(refValue(f.repoB, 'refs/heads/protected')).toBeUndefined();
  });
});

describe('mirror script in mode reconcile: many refs', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  test('1001 new branches go in one fetch and pushes of at most 100 refs (the default maxRefsPerPush)', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const names = Array.from({ length: 1000 }, (_, i) => `refs/heads/topic/${i}`);
    gitIn(f.repoA, ['update-ref', '--stdin'], names.map((n) => `create ${n} ${c1}\n`).join(''));
    const r = await f.run(f.inputs(RECONCILE_REFERENCE, { mode: 'reconcile' }), { snapshotRemoved: false, scanServer: false });
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe('mirror: ok: reconcile: 1001 created, 0 fast-forwarded, 0 deleted, 0 in sync, 0 kept, 0 conflicts, 0 not moved');
    expect(r.gitCalls.filter((a) => a[0] === 'fetch')).toHaveLength(1);
    expect(pushSizes(r)).toEqual([...Array(10).fill(100), 1]);
    expect(allRefs(f.repoB)).toEqual(allRefs(f.repoA));
  }, 90_000);
});

/** How many refs each push of a run updated, in order (one lease per ref). */
function pushSizes(r: { gitCalls: string[][] }): number[] {
  return r.gitCalls.filter((a) => a[0] === 'push').map((a) => a.filter((x) => x.startsWith('--force-with-lease=')).length);
}

/**
 * A pre-receive hook like GitHub's push policy ("Limit how many branches and tags can be
 * updated in a single push"): it refuses a whole push that updates more than `limit` refs,
 * with the message GitHub sends.
 */
function pushPolicyHook(limit: number): string {
  return `#!/bin/sh
n=0
while read -r old new ref; do n=$((n + 1)); done
if [ "$n" -gt ${limit} ]; then
  echo "error: GH013: Repository rule violations found." >&2
  echo "- Pushes can not update more than ${limit} branches or tags." >&2
  exit 1
fi
`;
}

describe.each(['sh', 'bash'])('mirror script in mode reconcile: push limits, run by %s', (shell) => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  const reconcile = (extra: Partial<MirrorInputs> = {}) => f.inputs(RECONCILE_REFERENCE, { mode: 'reconcile', ...extra });
  /** Eleven branches on a (b0 ... b8, main, protected), none on b. */
  const elevenBranches = () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    const names = [...Array.from({ length: 9 }, (_, i) => `refs/heads/b${i}`), 'refs/heads/protected'];
    gitIn(f.repoA, ['update-ref', '--stdin'], names.map((n) => `create ${n} ${c1}\n`).join(''));
    return c1;
  };

  test('a target that refuses pushes of more than 3 refs gets them in halves until they fit; a protected ref is reported on its own line and the others still go', async () => {
    // given: b refuses a push that updates more than 3 refs, and refuses refs/heads/protected
    elevenBranches();
    f.server.installHook('b', 'pre-receive', pushPolicyHook(3));
    f.server.installHook('b', 'update', '#!/bin/sh\n[ "$1" = refs/heads/protected ] || exit 0\necho "refs/heads/protected is a protected branch" >&2\nexit 1\n');
    // when: a reconcile with maxRefsPerPush 8
    const r = await f.run(reconcile({ maxRefsPerPush: '8' }), { shellBinary: shell });
    // then: 8 refused, 4 refused, then batches of 2; every ref but the protected one created
    expect(pushSizes(r)).toEqual([8, 4, 2, 2, 2, 2, 2, 1]);
    expect(r.stdout).toContain('mirror: reconcile: the target refused a push of 8 refs for its size; pushing at most 4 at a time\n');
    expect(r.stdout).toContain('mirror: reconcile: the target refused a push of 4 refs for its size; pushing at most 2 at a time\n');
    // git's report of the server's message (git pads remote lines with blanks)
    expect(r.stdout).toMatch(/^mirror: {3}\| remote: - Pushes can not update more than 3 branches or tags\. *$/m);
    expect(r.stdout).toContain('mirror: not moved: refs/heads/protected: the target refused the update: [remote rejected] (hook declined) (a protected ref, a hook or a permission on the target)\n');
    expect(r.stdout).toContain('refs/heads/protected is a protected branch');
    expect(r.code).toBe(X.PUSH_REJECTED.code);
    expect(r.lastLine).toBe(
      `${failurePrefix('PUSH_REJECTED')}reconcile: 10 created, 0 fast-forwarded, 0 deleted, 0 in sync, 0 kept, 0 conflicts, 1 not moved; the target refused updates listed above (protected refs, hooks or permissions)`,
    );
    const expected = allRefs(f.repoA);
    delete expected['refs/heads/protected'];
    expect(allRefs(f.repoB)).toEqual(expected);
  });

  test('maxRefsPerPush at the target\'s limit: no push is refused', async () => {
    elevenBranches();
    f.server.installHook('b', 'pre-receive', pushPolicyHook(3));
    const r = await f.run(reconcile({ maxRefsPerPush: '3' }), { shellBinary: shell });
    expect(r.code).toBe(0);
    expect(pushSizes(r)).toEqual([3, 3, 3, 2]);
    expect(r.stdout).not.toContain('for its size');
    expect(allRefs(f.repoB)).toEqual(allRefs(f.repoA));
  });

  test('a batch whose refs are all refused for another reason is not split', async () => {
    // given: b refuses every branch but main, with no word about the size of the push
    elevenBranches();
    f.server.installHook('b', 'update', '#!/bin/sh\n[ "$1" = refs/heads/main ] && exit 0\necho "branch creation is restricted" >&2\nexit 1\n');
    const r = await f.run(reconcile({ maxRefsPerPush: '4' }), { shellBinary: shell });
    expect(pushSizes(r)).toEqual([4, 4, 3]);
    expect(r.stdout).not.toContain('for its size');
    expect(r.code).toBe(X.PUSH_REJECTED.code);
    expect(r.lastLine).toContain('reconcile: 1 created, 0 fast-forwarded, 0 deleted, 0 in sync, 0 kept, 0 conflicts, 10 not moved');
    expect(Object.keys(allRefs(f.repoB))).toEqual([MAIN]);
  });

  test.each([
    [413, 'Request Entity Too Large'],
    [504, 'Gateway Timeout'],
  ])('a push answered with HTTP %s (%s) is sent again in halves', async (status) => {
    elevenBranches();
    f.server.failNextPush(2, status, 'b');
    const r = await f.run(reconcile(), { shellBinary: shell });
    expect(r.code).toBe(0);
    // 11 refused, 6 refused, then batches of 3
    expect(pushSizes(r)).toEqual([11, 6, 3, 3, 3, 2]);
    expect(r.stdout).toContain('mirror: reconcile: the target refused a push of 11 refs for its size; pushing at most 6 at a time\n');
    expect(r.stdout).toContain('mirror: reconcile: the target refused a push of 6 refs for its size; pushing at most 3 at a time\n');
    expect(allRefs(f.repoB)).toEqual(allRefs(f.repoA));
  });

  test.each([['0'], ['1001'], ['01'], ['ten'], ['5;touch marker']])('refuses maxRefsPerPush %p before any git command', async (max) => {
    const served = f.server.requests.length;
    const r = await f.run(reconcile({ maxRefsPerPush: max }), { shellBinary: shell });
    expect(r.code).toBe(X.INVALID_INPUT.code);
    expect(r.lastLine.startsWith(`${failurePrefix('INVALID_INPUT')}maxRefsPerPush (MIRROR_MAX_REFS_PER_PUSH) must be a number from 1 to 1000, got `)).toBe(true);
    expect(r.gitCalls).toEqual([]);
    expect(f.server.requests.length).toBe(served);
    expect(r.cwdEntries).toEqual([]);
  });
});

describe('mirror script in mode reconcile: transient failures', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  test('HTTP 503 answers are retried and the reconcile then succeeds', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    f.server.failNext(2, 503, 'b');
    const r = await f.run(f.inputs(RECONCILE_REFERENCE, { mode: 'reconcile' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('transient failure (attempt 1 of 4): reconcile: ls-remote failed on target');
    expect(refValue(f.repoB, MAIN)).toBe(c1);
  });
});
