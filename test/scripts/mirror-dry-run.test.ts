/**
 * The dry run of mode reconcile (MIRROR_DRY_RUN=true), the status report's engine: the Run
 * step from the example pipeline, run by sh (dash) and bash against real git over HTTPS.
 * Every state on real repositories, one-way and two-way; nothing pushed, only what
 * ancestry needs fetched; and a real reconcile afterwards does exactly what each status
 * line said it would.
 */
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { parseStatusLine, REF_ACTIONS, REF_STATES, RefStatus } from '../../src/model/status';
import { RECONCILE_REFERENCE } from '../../src/model/trigger';
import { mirrorScript } from '../../src/private/script';
import { allRefs, annotatedTag, commitOn, copyRef, setRef } from '../helpers/bare-repo';
import { MirrorFixture, MirrorInputs, failurePrefix } from '../helpers/mirror-fixture';

const MAIN = 'refs/heads/main';
const DRY = { MIRROR_DRY_RUN: 'true' };

/** The status lines of a run, by ref. */
function statuses(stdout: string): Record<string, RefStatus> {
  const found: Record<string, RefStatus> = {};
  for (const line of stdout.split('\n')) {
    const s = parseStatusLine(line);
    if (s) {
      found[s.ref] = s;
    }
  }
  return found;
}

/** A status without its reason, for compact expectations. */
const brief = (s: RefStatus) => [s.state, s.action, s.source, s.target];

describe.each(['sh', 'bash'])('mirror script dry run, run by %s', (shell) => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  const reconcile = (extra: Partial<MirrorInputs> = {}, direction: 'a->b' | 'b->a' = 'a->b') =>
    f.inputs(RECONCILE_REFERENCE, { mode: 'reconcile', referenceShaOld: '', syncDelete: 'false', twoWay: 'false', ...extra }, direction);
  const pushes = () => f.server.requests.filter((q) => q.url.includes('git-receive-pack')).length;

  /**
   * Both repositories with one ref in every state, seen from a (source) to b (target):
   * main in sync, new missing, behind behind, ahead ahead, dev diverged, v1 a tag that
   * differs, v0 a tag in sync, only-b extra.
   */
  const everyState = () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const fresh = commitOn(f.repoA, 'refs/heads/new', 'new', c1);
    commitOn(f.repoA, 'refs/heads/behind', 'd1', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/behind');
    const d2 = commitOn(f.repoA, 'refs/heads/behind', 'd2');
    const e1 = commitOn(f.repoA, 'refs/heads/ahead', 'e1', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/ahead');
    const e2 = commitOn(f.repoB, 'refs/heads/ahead', 'e2');
    commitOn(f.repoA, 'refs/heads/dev', 'dev', c1);
    copyRef(f.repoA, f.repoB, 'refs/heads/dev');
    const da = commitOn(f.repoA, 'refs/heads/dev', 'dev on a');
    const db = commitOn(f.repoB, 'refs/heads/dev', 'dev on b');
    const ta = annotatedTag(f.repoA, 'v1', c1, 'v1 made on a');
    const tb = annotatedTag(f.repoB, 'v1', c1, 'v1 made on b');
    const v0 = annotatedTag(f.repoA, 'v0', c1, 'v0');
    copyRef(f.repoA, f.repoB, 'refs/tags/v0');
    const onlyB = commitOn(f.repoB, 'refs/heads/only-b', 'only on b', c1);
    return { c1, fresh, d1: allRefs(f.repoB)['refs/heads/behind'], d2, e1, e2, da, db, ta, tb, v0, onlyB };
  };

  test('one-way, syncDelete: every state, both SHAs, what the reconcile does; nothing pushed; exit out-of-sync', async () => {
    const v = everyState();
    const before = { a: allRefs(f.repoA), b: allRefs(f.repoB) };
    const r = await f.run(reconcile({ syncDelete: 'true' }), { shellBinary: shell, extraEnv: DRY });

    expect(r.code).toBe(X.OUT_OF_SYNC.code);
    expect(r.lastLine).toBe(
      `${failurePrefix('OUT_OF_SYNC')}status: 8 refs: 2 in-sync, 1 missing, 1 behind, 1 ahead, 2 diverged, 1 extra, 0 skipped; nothing was changed (dry run)`,
    );
    const s = statuses(r.stdout);
    expect(Object.fromEntries(Object.entries(s).map(([ref, st]) => [ref, brief(st)]))).toEqual({
      [MAIN]: ['in-sync', 'none', v.c1, v.c1],
      'refs/tags/v0': ['in-sync', 'none', v.v0, v.v0],
      'refs/heads/new': ['missing', 'create', v.fresh, null],
      'refs/heads/behind': ['behind', 'fast-forward', v.d2, v.d1],
      'refs/heads/ahead': ['ahead', 'conflict', v.e1, v.e2],
      'refs/heads/dev': ['diverged', 'conflict', v.da, v.db],
      'refs/tags/v1': ['diverged', 'conflict', v.ta, v.tb],
      'refs/heads/only-b': ['extra', 'delete', null, v.onlyB],
    });
    expect(s['refs/heads/only-b'].reason).toBe('deletes it on the target (gone on the source; syncDelete is true)');
    expect(s[MAIN].reason).toBe('');
    // the in-sync line ends with the target SHA, no trailing blank
    expect(r.stdout).toContain(`mirror: status: in-sync none ${MAIN} ${v.c1} ${v.c1}\n`);
    // nothing moved, nothing pushed
    expect({ a: allRefs(f.repoA), b: allRefs(f.repoB) }).toEqual(before);
    expect(pushes()).toBe(0);
    expect(r.gitCalls.filter((a) => a[0] === 'push')).toEqual([]);
    // one fetch from the source (the branches whose ancestry decides), one from the target
    // (its tips the source's history lacks)
    const fetched = r.gitCalls.filter((a) => a[0] === 'fetch');
    expect(fetched).toHaveLength(2);
    expect(fetched[0].slice(-3)).toEqual(['--stdin', '--', f.server.url('a')]);
    expect(fetched[1].slice(-3)).toEqual(['--stdin', '--', f.server.url('b')]);
  });

  test('two-way: a target ahead is kept, an extra ref is kept (never deleted), with the reason', async () => {
    const v = everyState();
    const r = await f.run(reconcile({ twoWay: 'true', syncDelete: 'true' }), { shellBinary: shell, extraEnv: DRY });
    expect(r.code).toBe(X.OUT_OF_SYNC.code);
    const s = statuses(r.stdout);
    expect(brief(s['refs/heads/ahead'])).toEqual(['ahead', 'keep', v.e1, v.e2]);
    expect(s['refs/heads/ahead'].reason).toBe('keeps it: the opposite direction carries it back');
    expect(brief(s['refs/heads/only-b'])).toEqual(['extra', 'keep', null, v.onlyB]);
    expect(s['refs/heads/only-b'].reason).toBe('keeps it: a two-way reconcile never deletes; the opposite direction creates it on the source');
    expect(brief(s['refs/heads/dev'])).toEqual(['diverged', 'conflict', v.da, v.db]);

    // and from the other side: b -> a
    const back = await f.run(reconcile({ twoWay: 'true' }, 'b->a'), { shellBinary: shell, extraEnv: DRY });
    const t = statuses(back.stdout);
    expect(brief(t['refs/heads/ahead'])).toEqual(['behind', 'fast-forward', v.e2, v.e1]);
    expect(brief(t['refs/heads/only-b'])).toEqual(['missing', 'create', v.onlyB, null]);
    expect(brief(t['refs/heads/new'])).toEqual(['extra', 'keep', null, v.fresh]);
    expect(brief(t['refs/heads/behind'])).toEqual(['ahead', 'keep', v.d1, v.d2]);
    expect(pushes()).toBe(0);
  });

  test('syncDelete off: an extra ref is kept, saying deletions are not mirrored', async () => {
    const v = everyState();
    const r = await f.run(reconcile(), { shellBinary: shell, extraEnv: DRY });
    const s = statuses(r.stdout)['refs/heads/only-b'];
    expect(brief(s)).toEqual(['extra', 'keep', null, v.onlyB]);
    expect(s.reason).toBe('keeps it: deletions are not mirrored (syncDelete is not true)');
  });

  test('all in sync: exit 0, no fetch, no push', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    annotatedTag(f.repoA, 'v1', c1, 'v1');
    copyRef(f.repoA, f.repoB, MAIN);
    copyRef(f.repoA, f.repoB, 'refs/tags/v1');
    const r = await f.run(reconcile(), { shellBinary: shell, extraEnv: DRY });
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe('mirror: ok: status: 2 refs: 2 in-sync, 0 missing, 0 behind, 0 ahead, 0 diverged, 0 extra, 0 skipped; nothing was changed (dry run)');
    expect(Object.values(statuses(r.stdout)).map((s) => s.state)).toEqual(['in-sync', 'in-sync']);
    expect(r.gitCalls.filter((a) => a[0] === 'fetch' || a[0] === 'push')).toEqual([]);
  });

  test('missing and extra refs and tags that differ need no objects: nothing is fetched', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    commitOn(f.repoB, 'refs/heads/only-b', 'only on b');
    annotatedTag(f.repoA, 'v1', c1, 'v1 made on a');
    setRef(f.repoB, 'refs/tags/v1', allRefs(f.repoB)['refs/heads/only-b'], undefined);
    const r = await f.run(reconcile(), { shellBinary: shell, extraEnv: DRY });
    expect(Object.values(statuses(r.stdout)).map((s) => [s.ref, s.state]).sort()).toEqual([
      [MAIN, 'missing'],
      ['refs/heads/only-b', 'extra'],
      ['refs/tags/v1', 'diverged'],
    ]);
    expect(r.gitCalls.filter((a) => a[0] === 'fetch' || a[0] === 'push')).toEqual([]);
  });

  test('a ref whose name the script never passes to git gets no status line, but its own conflict line, and counts as out of sync', async () => {
    // given: a branch git accepts but the script refuses (a name longer than 1024 characters), only on a
    const c1 = commitOn(f.repoA, MAIN, 'one');
    copyRef(f.repoA, f.repoB, MAIN);
    const long = `refs/heads/${Array.from({ length: 5 }, (_, i) => `${i}${'x'.repeat(249)}`).join('/')}`;
    setRef(f.repoA, long, c1, undefined);
    const r = await f.run(reconcile(), { shellBinary: shell, extraEnv: DRY });
    expect(r.code).toBe(X.OUT_OF_SYNC.code);
    expect(r.stdout).toContain(`mirror: conflict: (${long.length} characters, not shown: too long): not a valid branch or tag name; skipped (never passed to git)\n`);
    expect(Object.keys(statuses(r.stdout))).toEqual([MAIN]);
    expect(r.lastLine).toContain('status: 1 refs: 1 in-sync, 0 missing, 0 behind, 0 ahead, 0 diverged, 0 extra, 1 skipped;');
  });

  test('refFilters: only matching refs get a line', async () => {
    const c1 = commitOn(f.repoA, MAIN, 'one');
    commitOn(f.repoA, 'refs/heads/feature', 'feature', c1);
    setRef(f.repoA, 'refs/tags/v1', c1, undefined);
    const r = await f.run(reconcile({ refFilters: 'refs/heads/main refs/tags/v*' }), { shellBinary: shell, extraEnv: DRY });
    expect(Object.keys(statuses(r.stdout)).sort()).toEqual([MAIN, 'refs/tags/v1']);
  });

  test('what each line says is what the reconcile then does', async () => {
    everyState();
    const dry = statuses((await f.run(reconcile({ syncDelete: 'true' }), { shellBinary: shell, extraEnv: DRY })).stdout);
    const before = allRefs(f.repoB);
    const real = await f.run(reconcile({ syncDelete: 'true' }), { shellBinary: shell });
    expect(real.code).toBe(X.RECONCILE_CONFLICTS.code);
    const after = allRefs(f.repoB);
    for (const s of Object.values(dry)) {
      const expected = s.action === 'create' || s.action === 'fast-forward' ? s.source : s.action === 'delete' ? undefined : before[s.ref];
      expect([s.ref, after[s.ref]]).toEqual([s.ref, expected]);
    }
    // a second dry run now finds only the conflicts
    const again = statuses((await f.run(reconcile({ syncDelete: 'true' }), { shellBinary: shell, extraEnv: DRY })).stdout);
    expect(Object.values(again).filter((s) => s.state !== 'in-sync').map((s) => [s.ref, s.action]).sort()).toEqual([
      ['refs/heads/ahead', 'conflict'],
      ['refs/heads/dev', 'conflict'],
      ['refs/tags/v1', 'conflict'],
    ]);
  });

  test.each([
    ['a value other than true or false', { MIRROR_DRY_RUN: 'yes' }, 'reconcile', 'MIRROR_DRY_RUN must be true or false'],
    ['mode ref', DRY, 'ref', 'MIRROR_DRY_RUN applies to mode reconcile only'],
  ])('refuses %s before any git command', async (_what, extraEnv, mode, mentions) => {
    const inputs = mode === 'ref' ? f.inputs(MAIN) : reconcile();
    const r = await f.run(inputs, { shellBinary: shell, extraEnv });
    expect(r.code).toBe(X.INVALID_INPUT.code);
    expect(r.lastLine.startsWith(`${failurePrefix('INVALID_INPUT')}${mentions}`)).toBe(true);
    expect(r.gitCalls).toEqual([]);
  });
});

describe('the status line contract', () => {
  const text = mirrorScript();
  const calls = [...text.matchAll(/rc_status ([a-z-]+) ([a-z-]+) /g)].map((m) => [m[1], m[2]]);

  test('the script reports every state of REF_STATES, and no other', () => {
    expect([...new Set(calls.map(([state]) => state))].sort()).toEqual(Object.keys(REF_STATES).sort());
  });

  test('the script reports only actions of REF_ACTIONS, and each of them', () => {
    expect([...new Set(calls.map(([, action]) => action))].sort()).toEqual([...REF_ACTIONS].sort());
  });

  test('a line is parsed strictly: a forged or malformed line is no status', () => {
    const sha = 'a'.repeat(40);
    expect(parseStatusLine(`mirror: status: behind fast-forward refs/heads/x ${sha} ${sha} fast-forwards the target`)).toEqual({
      state: 'behind', action: 'fast-forward', ref: 'refs/heads/x', source: sha, target: sha, reason: 'fast-forwards the target',
    });
    expect(parseStatusLine(`mirror: status: missing create refs/tags/v1 ${sha} -`)).toMatchObject({ target: null, reason: '' });
    for (const bad of [
      `mirror: status: lost create refs/heads/x ${sha} -`,
      `mirror: status: missing push refs/heads/x ${sha} -`,
      `mirror: status: missing create refs/notes/x ${sha} -`,
      `mirror: status: missing create refs/heads/x abc -`,
      `  mirror: status: missing create refs/heads/x ${sha} -`,
    ]) {
      expect(parseStatusLine(bad)).toBeUndefined();
    }
  });
});
