/**
 * How the mirror script gets the objects: the source fetch negotiates against a base
 * fetched from the target (its value of the ref, or its default branch), 100 commits
 * deep and without file contents where the server allows filters. Checked here on
 * histories longer than the base, on servers that allow filters (so blobs the base lacks
 * are fetched on demand), refuse them, or refuse shallow fetches, and when the fetch
 * against the base fails. Every run's scratch repository is kept (copied before the
 * script removes it) to show what crossed the wire; every target is checked for
 * completeness with git fsck, and every run scanned for leaked tokens.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { copyRef, gitIn, isAncestor, refValue } from '../helpers/bare-repo';
import { MirrorFixture, MirrorInputs, failurePrefix, mirrorContext, tokenLeaks } from '../helpers/mirror-fixture';
import { RunStepResult, runStep } from '../helpers/run-step';

const MAIN = 'refs/heads/main';
const ZEROS = '0'.repeat(40);
const LINES = 120;

let stamp = 1_700_000_000;

/**
 * Writes `count` commits on `ref`, the first on top of `from` (none: a new root), each
 * changing one line of a 120-line file (so a new version is a small delta of the old).
 * With `merge`, the first commit merges that commit too. Returns the new tip.
 */
function commits(repo: string, ref: string, count: number, options: { from?: string; merge?: string; label?: string } = {}): string {
  const label = options.label ?? ref;
  let lines: string[];
  try {
    lines = options.from ? gitIn(repo, ['cat-file', 'blob', `${options.from}:big.txt`]).split('\n') : [];
  } catch {
    lines = [];
  }
  if (lines.length !== LINES) {
    lines = Array.from({ length: LINES }, (_, i) => `line ${i}: the quick brown fox jumps over the lazy dog`);
  }
  const stream: string[] = [];
  for (let i = 0; i < count; i++) {
    stamp += 60;
    const at = stamp % LINES;
    lines[at] = `line ${at}: ${label} ${i} changed this line at ${stamp}`;
    const content = `${lines.join('\n')}\n`;
    stream.push(
      `commit ${ref}`,
      `committer Test <test@example.test> ${stamp} +0000`,
      `data <<EOM\n${label} ${i}\nEOM`,
    );
    if (i === 0) {
      if (options.from) stream.push(`from ${options.from}`);
      if (options.merge) stream.push(`merge ${options.merge}`);
    }
    stream.push(`M 100644 inline big.txt`, `data ${Buffer.byteLength(content)}`, content);
  }
  if (!options.from) {
    // A new root: fast-import continues a ref that exists; start from nothing instead.
    stream.unshift(`reset ${ref}`, '');
  }
  fastImport(repo, stream);
  return refValue(repo, ref)!;
}

/** Feeds `stream` (lines of a git fast-import stream) to fast-import in `repo`. */
function fastImport(repo: string, stream: readonly string[]): void {
  execFileSync('git', ['--git-dir', repo, 'fast-import', '--quiet', '--force'], {
    input: `${stream.join('\n')}\n`,
    env: { PATH: process.env.PATH, HOME: repo, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** Whether every object reachable from the repository's refs is there. */
function complete(repo: string): boolean {
  try {
    gitIn(repo, ['fsck', '--connectivity-only', '--no-dangling', '--no-progress']);
    return true;
  } catch {
    return false;
  }
}

/** What the run's scratch repository held at the end. */
interface Scratch {
  /** Commits in it (the history of the source's value reaches further). */
  readonly commits: number;
  /** Blobs in it. */
  readonly blobs: number;
  /** Whether it was shallow (a base was used and kept). */
  readonly shallow: boolean;
  /** Whether it was a partial clone (blobs left out, fetched on demand). */
  readonly partial: boolean;
}

interface Run extends RunStepResult {
  readonly scratch: Scratch;
  /**
   * Whether the peek (the second scratch repository, with the source's commits) was still a
   * partial clone at exit, or undefined when the run made none. A partial clone's lookup of
   * an object it lacks is a fetch.
   */
  readonly peekPartial: boolean | undefined;
  /** The git subcommands run with the given option, e.g. fetch with --depth=100. */
  calls(subcommand: string, option?: string): string[][];
}

/** Runs the step like MirrorFixture.run, and describes the scratch repository it removed at exit. */
async function run(f: MirrorFixture, inputs: MirrorInputs): Promise<Run> {
  const r = await runStep(f.step, mirrorContext(inputs), { traceGit: true, snapshotRemoved: true, extraEnv: f.baseEnv() });
  try {
    expect(tokenLeaks(r, [f.tokenA, f.tokenB], [r.root, f.server.root])).toEqual([]);
    const removed = path.join(r.root, 'removed');
    // The EXIT trap removes the whole work folder (mirror.XXXXXXXX): its repo.git is the last state.
    const copies = fs.readdirSync(removed).flatMap((d) =>
      fs.readdirSync(path.join(removed, d)).filter((e) => e.startsWith('mirror.')).map((e) => path.join(removed, d, e, 'repo.git')),
    );
    expect(copies).toHaveLength(1);
    const repo = copies[0];
    const types = gitIn(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)']).split('\n');
    const config = fs.readFileSync(path.join(repo, 'config'), 'utf8');
    const scratch = {
      commits: types.filter((t) => t === 'commit').length,
      blobs: types.filter((t) => t === 'blob').length,
      shallow: fs.existsSync(path.join(repo, 'shallow')),
      partial: /promisor\s*=\s*true/.test(config),
    };
    const peekConfig = path.join(path.dirname(repo), 'p', 'repo.git', 'config');
    const peekPartial = fs.existsSync(peekConfig) ? /promisor|partialclone/i.test(fs.readFileSync(peekConfig, 'utf8')) : undefined;
    const calls = (subcommand: string, option?: string) =>
      r.gitCalls.filter((a) => a.includes(subcommand) && (option === undefined || a.includes(option)));
    return { ...r, scratch, peekPartial, calls };
  } finally {
    r.cleanup();
  }
}

/**
 * Makes the server's pack-objects (every repository's) fail any request whose arguments or
 * input (the wanted and common objects) contain `needle`. A pack-objects hook is honoured
 * from the server's global configuration only: the server's HOME is its root.
 */
function refusePackObjects(f: MirrorFixture, needle: string): void {
  const hook = path.join(f.server.root, 'refuse-pack-objects.sh');
  fs.writeFileSync(
    hook,
    [
      '#!/bin/sh',
      'in=$(mktemp)',
      'cat >"$in"',
      `case " $* " in *' ${needle} '*) rm -f "$in"; echo 'refused by test' >&2; exit 1 ;; esac`,
      `if grep -q -e '${needle}' "$in"; then rm -f "$in"; echo 'refused by test' >&2; exit 1; fi`,
      '"$@" <"$in"',
      'st=$?',
      'rm -f "$in"',
      'exit $st',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(f.server.root, '.gitconfig'), `[uploadpack]\n\tpackObjectsHook = ${hook}\n`);
}

/** Lets a repository serve partial clones (hosting servers do; git's default is off). */
function allowFilter(repo: string): void {
  gitIn(repo, ['config', 'uploadpack.allowFilter', 'true']);
}

describe('the source fetch negotiates against a base from the target', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
    allowFilter(f.repoA);
    allowFilter(f.repoB);
  });
  afterEach(async () => {
    await f.close();
  });

  test('a fast-forward on a long history fetches the new commit, not the history', async () => {
    // given: 300 shared commits; the source gains one
    const base = commits(f.repoA, MAIN, 300);
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commits(f.repoA, MAIN, 1, { from: base, label: 'new' });
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    // then: the target is fast-forwarded and complete
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
    expect(complete(f.repoB)).toBe(true);
    // and the scratch repository held the 100-commit base and the new commit, with the
    // blobs that changed (the new one, and the old one its delta needed) but not the rest
    expect(r.scratch).toEqual({ commits: 101, blobs: 2, shallow: true, partial: true });
    expect(r.calls('fetch', '--depth=100')).toHaveLength(1);
    expect(r.calls('fetch', '--filter=blob:none')).toHaveLength(1);
    expect(r.calls('fetch', '--unshallow')).toEqual([]);
    // both sides were asked for their branches only
    expect(r.calls('ls-remote', '--heads')).toHaveLength(2);
    // the blob fetched on demand came from the source, with the source's credential
    expect(f.server.requests.filter((q) => q.status !== 200)).toEqual([]);
    expect(f.server.requests.filter((q) => q.url.startsWith('/a.git/') && q.user !== 'user-a')).toEqual([]);
  });

  test('a change to five files: the blobs the base lacks for the deltas come in one fetch, not one each', async () => {
    // given: five 120-line files, on both sides; the source changes a line in each
    const files = (change: string) =>
      Array.from({ length: 5 }, (_, f) => {
        const content = Array.from({ length: LINES }, (_, i) => (i === 7 ? `line ${i}: ${change}` : `line ${i} of file ${f}: the quick brown fox jumps over the lazy dog`)).join('\n') + '\n';
        return [`M 100644 inline file${f}.txt`, `data ${Buffer.byteLength(content)}`, content];
      }).flat();
    const importCommit = (message: string, change: string, from?: string) => {
      stamp += 60;
      fastImport(f.repoA, [`commit ${MAIN}`, `committer Test <test@example.test> ${stamp} +0000`, `data <<EOM\n${message}\nEOM`, ...(from ? [`from ${from}`] : []), ...files(change)]);
      return refValue(f.repoA, MAIN)!;
    };
    const base = importCommit('five files', 'as first written');
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = importCommit('change all five', 'changed in every file', base);
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    // then: fast-forwarded, the five new blobs and the five old ones their deltas needed
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toMatchObject({ blobs: 10, partial: true });
    // and the source was asked for its refs or objects four times: the listing, the peek,
    // the fetch, and one fetch of the five missing delta bases (not five)
    const sourceStarts = f.server.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/a.git/info/refs'));
    expect(sourceStarts).toHaveLength(4);
  });

  test('an echo run fetches nothing', async () => {
    const tip = commits(f.repoA, MAIN, 150);
    copyRef(f.repoA, f.repoB, MAIN);
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: ZEROS }, 'b->a'));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${tip} -> ${tip}: already in sync, nothing to do`);
    expect(r.calls('fetch')).toEqual([]);
    expect(r.scratch.commits).toBe(0);
  });

  test('a merge of a branch forked long ago: the target tip is an ancestor, found through the merge', async () => {
    // given: main has 250 commits; a topic forked at commit 20 has 30 commits and is
    // merged into main on the source only
    const fork = commits(f.repoA, MAIN, 20);
    const before = commits(f.repoA, MAIN, 230, { from: fork, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const topic = commits(f.repoA, 'refs/heads/topic', 30, { from: fork, label: 'topic' });
    const merge = commits(f.repoA, MAIN, 1, { from: before, merge: topic, label: 'merge' });
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    // then: a fast-forward (no lease needed), complete on the target
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(merge);
    expect(isAncestor(f.repoB, topic, merge)).toBe(true);
    expect(complete(f.repoB)).toBe(true);
  });

  test('a merge of a branch forked below the base, while the target gained a commit: diverged, nothing pushed', async () => {
    const fork = commits(f.repoA, MAIN, 20);
    const shared = commits(f.repoA, MAIN, 230, { from: fork, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const topic = commits(f.repoA, 'refs/heads/topic', 30, { from: fork, label: 'topic' });
    const merge = commits(f.repoA, MAIN, 1, { from: shared, merge: topic, label: 'merge' });
    const theirs = commits(f.repoB, MAIN, 1, { from: shared, label: 'theirs' });
    // when: without an old SHA
    const r = await run(f, f.inputs(MAIN));
    // then: the peek shows the topic running past the base, so the whole history is
    // fetched (what the source would send anyway), and the answer is exact
    expect(r.stdout).toContain(`mirror: ${MAIN}: the source's history runs past the target's commits at hand; fetching the whole history`);
    expect(r.code).toBe(X.NOT_FAST_FORWARD.code);
    expect(r.lastLine.startsWith(failurePrefix('NOT_FAST_FORWARD'))).toBe(true);
    expect(r.lastLine).toContain(`target ${theirs} and source ${merge} have diverged`);
    expect(r.scratch.shallow).toBe(false);
    expect(refValue(f.repoB, MAIN)).toBe(theirs);
  });

  test('a target ahead by more than the base holds is left alone', async () => {
    // given: the source is at commit 50; the target has 150 more on top
    const old = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const ahead = commits(f.repoB, MAIN, 150, { from: old, label: 'target' });
    // when: a run without an old SHA (a manual run, or a late webhook)
    const r = await run(f, f.inputs(MAIN));
    // then: the source's history does not meet the base (it lies below it): no base
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${ahead} -> ${ahead}: target is ahead of source ${old} (it has all of the source's commits); left unchanged`,
    );
    expect(r.scratch.shallow).toBe(false);
    expect(refValue(f.repoB, MAIN)).toBe(ahead);
  });

  test('a target that is not an ancestor, with a long shared history, fails as diverged from the base alone', async () => {
    const shared = commits(f.repoA, MAIN, 200);
    copyRef(f.repoA, f.repoB, MAIN);
    const ours = commits(f.repoA, MAIN, 3, { from: shared, label: 'ours' });
    const theirs = commits(f.repoB, MAIN, 2, { from: shared, label: 'theirs' });
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: shared }));
    expect(r.code).toBe(X.TARGET_MOVED.code);
    expect(r.lastLine).toContain(`target ${theirs} and source ${ours} have diverged`);
    expect(refValue(f.repoB, MAIN)).toBe(theirs);
    // the peek showed the source meeting the base, so "is the source behind" was answered
    // from the base: the source is not in it, and every line of the source meets it
    expect(r.scratch).toMatchObject({ commits: 103, shallow: true });
    expect(r.calls('fetch', '--unshallow')).toEqual([]);
  });

  test('without a peek (it failed), a target ahead past the base is deepened to see it', async () => {
    // given: a server whose pack-objects refuses the peek (the only commits-only request)
    refusePackObjects(f, '--filter=tree:0');
    const old = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const ahead = commits(f.repoB, MAIN, 150, { from: old, label: 'target' });
    const r = await run(f, f.inputs(MAIN));
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${ahead} -> ${ahead}: target is ahead of source ${old} (it has all of the source's commits); left unchanged`,
    );
    expect(r.calls('fetch', '--unshallow')).toHaveLength(1);
    expect(r.scratch.shallow).toBe(false);
  });

  test('a force push under a lease fetches the rewritten commits only', async () => {
    // given: 200 shared commits; the source drops its last 3 and adds one
    const c197 = commits(f.repoA, MAIN, 197);
    const old = commits(f.repoA, MAIN, 3, { from: c197, label: 'dropped' });
    copyRef(f.repoA, f.repoB, MAIN);
    const rewritten = commits(f.repoA, MAIN, 1, { from: c197, label: 'rewritten' });
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: old }));
    // then
    expect(r.lastLine).toContain(`target ${old} -> ${rewritten}: force-updated target`);
    expect(refValue(f.repoB, MAIN)).toBe(rewritten);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch.commits).toBe(101);
  });

  test('a new branch negotiates against the target default branch', async () => {
    // given: main with 300 commits on both; the source creates feature from main + 2 commits
    const main = commits(f.repoA, MAIN, 300);
    copyRef(f.repoA, f.repoB, MAIN);
    const feature = commits(f.repoA, 'refs/heads/feature', 2, { from: main, label: 'feature' });
    // when
    const r = await run(f, f.inputs('refs/heads/feature', { referenceShaOld: ZEROS }));
    // then
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/feature: target (none) -> ${feature}: created on target`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(feature);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch.commits).toBe(102);
    expect(r.calls('fetch', '+HEAD:refs/mirror/base')).toHaveLength(1);
  });

  test('a new branch off a branch forked below the base: that branch joins the base', async () => {
    // given: main with 300 commits, and release forked at commit 50 with 3 commits, on both
    const c50 = commits(f.repoA, MAIN, 50);
    const main = commits(f.repoA, MAIN, 250, { from: c50, label: 'main' });
    const release = commits(f.repoA, 'refs/heads/release', 3, { from: c50, label: 'release' });
    copyRef(f.repoA, f.repoB, MAIN);
    copyRef(f.repoA, f.repoB, 'refs/heads/release');
    // when: the source creates hotfix off release
    const hotfix = commits(f.repoA, 'refs/heads/hotfix', 1, { from: release, label: 'hotfix' });
    const r = await run(f, f.inputs('refs/heads/hotfix', { referenceShaOld: ZEROS }));
    // then: created, from the two bases (main's last 100 commits; release's 3 and the 50
    // below them), not the whole history
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/hotfix: target (none) -> ${hotfix}: created on target`);
    expect(refValue(f.repoB, 'refs/heads/hotfix')).toBe(hotfix);
    expect(refValue(f.repoB, MAIN)).toBe(main);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    expect(r.calls('fetch', '+refs/heads/release:refs/mirror/more/1')).toHaveLength(1);
    expect(r.scratch).toMatchObject({ commits: 154, shallow: true, partial: true });
    // and the peek, checked against both bases, was no partial clone any more: looking up
    // the bases' commits it lacks cost no fetch each
    expect(r.peekPartial).toBe(false);
  });

  test('a new annotated tag on an old commit of the default branch fetches the tag object only', async () => {
    const main = commits(f.repoA, MAIN, 120);
    copyRef(f.repoA, f.repoB, MAIN);
    gitIn(f.repoA, ['tag', '-a', '-m', 'release', 'v1', `${main}~50`]);
    const tag = refValue(f.repoA, 'refs/tags/v1')!;
    const r = await run(f, f.inputs('refs/tags/v1', { referenceShaOld: ZEROS }));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, 'refs/tags/v1')).toBe(tag);
    expect(gitIn(f.repoB, ['cat-file', '-t', tag])).toBe('tag');
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch.commits).toBe(100);
    expect(r.calls('ls-remote', '--tags')).toHaveLength(2);
  });

  test('a new branch when the target default branch is unrelated: the whole history, correct', async () => {
    // given: the target's main is an unrelated history; the source's feature is new to it
    commits(f.repoB, MAIN, 120, { label: 'unrelated' });
    const feature = commits(f.repoA, 'refs/heads/feature', 150, { label: 'feature' });
    const r = await run(f, f.inputs('refs/heads/feature', { referenceShaOld: ZEROS }));
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/feature: target (none) -> ${feature}: created on target`);
    expect(refValue(f.repoB, 'refs/heads/feature')).toBe(feature);
    expect(complete(f.repoB)).toBe(true);
  });

  test('an empty target (no refs at all): no base, the whole history', async () => {
    const tip = commits(f.repoA, MAIN, 150);
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: ZEROS }));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target (none) -> ${tip}: created on target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toEqual({ commits: 150, blobs: 150, shallow: false, partial: false });
  });

  test('a fetch against the base that fails is done again without one', async () => {
    // given: a source server whose pack-objects refuses any request naming the blob that
    // the new commit's delta is based on (the one the partial base lacks)
    const base = commits(f.repoA, MAIN, 200);
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commits(f.repoA, MAIN, 1, { from: base, label: 'new' });
    const oldBlob = gitIn(f.repoA, ['rev-parse', `${base}:big.txt`]);
    refusePackObjects(f, oldBlob);
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    // then: the full fetch mirrors it
    expect(r.stdout).toContain(`mirror: ${MAIN}: the fetch against the target's commits failed; fetching the whole history`);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toEqual({ commits: 201, blobs: 201, shallow: false, partial: false });
  });
});

describe('servers that refuse part of it', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  test('filters refused (git http-backend by default): a shallow base with its blobs', async () => {
    const base = commits(f.repoA, MAIN, 300);
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commits(f.repoA, MAIN, 1, { from: base, label: 'new' });
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    // (git records the filter before it learns that the server ignores it: nothing is missing)
    expect(r.scratch).toEqual({ commits: 101, blobs: 101, shallow: true, partial: true });
  });

  test('shallow fetches refused by the target: the whole history, correct', async () => {
    allowFilter(f.repoB);
    f.server.refuseShallow('b');
    const base = commits(f.repoA, MAIN, 150);
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commits(f.repoA, MAIN, 1, { from: base, label: 'new' });
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    expect(r.stdout).toContain(`mirror: ${MAIN}: no base from the target to negotiate with; fetching the whole history`);
    expect(r.stdout).toContain('mirror:   | fatal: Server does not support shallow requests');
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(tip);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toEqual({ commits: 151, blobs: 151, shallow: false, partial: false });
  });

  test('a target that refuses shallow fetches still gets a tag moved under its lease', async () => {
    f.server.refuseShallow('b');
    const c1 = commits(f.repoA, MAIN, 30);
    gitIn(f.repoA, ['tag', '-a', '-m', 'first', 'v1', c1]);
    const t1 = refValue(f.repoA, 'refs/tags/v1')!;
    copyRef(f.repoA, f.repoB, 'refs/tags/v1');
    const c2 = commits(f.repoA, MAIN, 5, { from: c1, label: 'more' });
    gitIn(f.repoA, ['tag', '-f', '-a', '-m', 'second', 'v1', c2]);
    const t2 = refValue(f.repoA, 'refs/tags/v1')!;
    const r = await run(f, f.inputs('refs/tags/v1', { referenceShaOld: t1 }));
    expect(r.lastLine).toBe(`mirror: ok: refs/tags/v1: target ${t1} -> ${t2}: moved the tag on target (lease on the source's previous ${t1})`);
    expect(complete(f.repoB)).toBe(true);
  });
});

describe('SHA-256 repositories (not supported: the scratch repository is SHA-1)', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
  });
  afterEach(async () => {
    await f.close();
  });

  test('a SHA-256 source fails with one clear line and pushes nothing', async () => {
    // given: a SHA-256 source with a branch; the SHA-1 target has the same name's history of its own
    fs.rmSync(f.repoA, { recursive: true });
    gitIn(f.repoA, ['init', '--bare', '--quiet', '--object-format=sha256', '--initial-branch=main', f.repoA]);
    commits(f.repoA, MAIN, 3);
    const theirs = commits(f.repoB, MAIN, 3, { label: 'target' });
    // when
    const r = await run(f, f.inputs(MAIN));
    // then
    expect(r.code).toBe(X.GIT_FAILED.code);
    expect(r.stdout).toContain('mirror:   | fatal: mismatched algorithms: client sha1; server sha256');
    expect(r.lastLine).toBe(`${failurePrefix('GIT_FAILED')}${MAIN}: fetch failed on source ${f.server.url('a')}: git failed`);
    expect(r.calls('push')).toEqual([]);
    expect(refValue(f.repoB, MAIN)).toBe(theirs);
  });
});
