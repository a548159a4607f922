/**
 * How the mirror script gets the objects: a base from the target (its value of the ref,
 * or its default branch, three generations deep and without file contents where the
 * server allows filters), a source fetch that offers the base's commits with their shallow
 * boundary kept from the source, so that exactly the new commits cross the wire, the
 * commits those stand on below the base fetched from the target by id, and a push that
 * negotiates with the target first. Checked here on linear histories and on histories of
 * merges of topics forked far back, on servers that allow filters (so blobs the base lacks
 * are fetched on demand), refuse them, refuse shallow fetches, or speak protocol v0 only
 * (no fetch by id, no negotiation before a push), and when the fetch against the base
 * fails. Every run's scratch repository is kept (copied before the script removes it) to
 * show what crossed the wire, the server's requests are counted, every target is checked
 * for completeness with git fsck, and every run scanned for leaked tokens.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { copyRef, gitIn, isAncestor, refValue, setRef } from '../helpers/bare-repo';
import { MirrorFixture, MirrorInputs, failurePrefix, mirrorContext, tokenLeaks } from '../helpers/mirror-fixture';
import { RunStepResult, runStep } from '../helpers/run-step';
import { ServedRequest, connectionsOf } from '../helpers/git-server';
import { prng } from '../helpers/prng';

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
  /**
   * Commits in it (the history of the source's value reaches further), not counting the
   * parentless copies of the base's boundary commits the script makes for the source fetch.
   */
  readonly commits: number;
  /** Of those, the commits of the base (its value of the ref or default branch, and what lies behind it). */
  readonly baseCommits: number;
  /** Blobs in it. */
  readonly blobs: number;
  /** Whether it was shallow (a base was used and kept). */
  readonly shallow: boolean;
  /** Whether it was fetched into as a partial clone (blobs left out, fetched on demand). */
  readonly partial: boolean;
}

interface Run extends RunStepResult {
  readonly scratch: Scratch;
  /** Whether the run made a scratch repository at all (an echo run needs none). */
  readonly madeRepository: boolean;
  /** The requests the server answered during the run. */
  readonly requests: ServedRequest[];
  /** The commits below the base that were fetched from the target by id (refs/mirror/edge/). */
  readonly edges: string[];
  /** Whether the push asked the target what it has first (upload-pack requests between the push's two requests). */
  readonly pushNegotiated: boolean;
  /** The git subcommands run with the given option, e.g. fetch with --depth=3. */
  calls(subcommand: string, option?: string): string[][];
}

/**
 * The commits of a repository, without the parentless copies of other commits in it (the
 * stand-ins the script writes for the base's boundary commits).
 */
function commitsWithoutStandIns(repo: string): string[] {
  const ids = gitIn(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)'])
    .split('\n')
    .filter((l) => l.endsWith(' commit'))
    .map((l) => l.split(' ')[0]);
  const content = new Map(ids.map((id) => [id, gitIn(repo, ['cat-file', 'commit', id])]));
  const withoutParents = (c: string) => {
    const [header, ...body] = c.split('\n\n');
    return [header.split('\n').filter((l) => !l.startsWith('parent ')).join('\n'), ...body].join('\n\n');
  };
  const hasParents = (c: string) => /^parent /m.test(c.split('\n\n')[0]);
  const copied = new Set(ids.filter((id) => hasParents(content.get(id)!)).map((id) => withoutParents(content.get(id)!)));
  return ids.filter((id) => hasParents(content.get(id)!) || !copied.has(withoutParents(content.get(id)!)));
}

/** Runs the step like MirrorFixture.run, and describes the scratch repository it removed at exit. */
async function run(f: MirrorFixture, inputs: MirrorInputs): Promise<Run> {
  const served = f.server.requests.length;
  const r = await runStep(f.step, mirrorContext(inputs), { traceGit: true, snapshotRemoved: true, extraEnv: f.baseEnv() });
  const requests = f.server.requests.slice(served);
  try {
    expect(tokenLeaks(r, [f.tokenA, f.tokenB], [r.root, f.server.root])).toEqual([]);
    const removed = path.join(r.root, 'removed');
    // The EXIT trap removes the whole work folder (mirror.XXXXXXXX): its repo.git is the last state.
    const copies = fs.readdirSync(removed).flatMap((d) =>
      fs.readdirSync(path.join(removed, d)).filter((e) => e.startsWith('mirror.')).map((e) => path.join(removed, d, e, 'repo.git')),
    );
    expect(copies).toHaveLength(1);
    const repo = copies[0];
    const made = fs.existsSync(repo);
    const types = made ? gitIn(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)']).split('\n') : [];
    const hasBase = made && gitIn(repo, ['for-each-ref', '--format=%(refname)', 'refs/mirror/base']) !== '';
    const scratch = {
      commits: made ? commitsWithoutStandIns(repo).length : 0,
      baseCommits: hasBase ? Number(gitIn(repo, ['rev-list', '--count', 'refs/mirror/base'])) : 0,
      blobs: types.filter((t) => t === 'blob').length,
      shallow: fs.existsSync(path.join(repo, 'shallow')),
      partial: made && fs.readdirSync(path.join(repo, 'objects', 'pack')).some((p) => p.endsWith('.promisor')),
    };
    const calls = (subcommand: string, option?: string) =>
      r.gitCalls.filter((a) => a.includes(subcommand) && (option === undefined || a.some((x) => x === option || x.startsWith(option))));
    const edges = made ? gitIn(repo, ['for-each-ref', '--format=%(refname:lstrip=3)', 'refs/mirror/edge/']).split('\n').filter((e) => e.length > 0) : [];
    const pushStart = requests.findIndex((q) => q.url.includes('service=git-receive-pack'));
    const pushEnd = requests.findIndex((q) => q.method === 'POST' && q.url.endsWith('/git-receive-pack'));
    const pushNegotiated = pushStart >= 0 && requests.slice(pushStart, pushEnd).some((q) => q.url.includes('upload-pack'));
    return { ...r, scratch, madeRepository: made, requests, edges, pushNegotiated, calls };
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

/**
 * Writes on `ref`, on top of `from`, `merges` first-parent commits that each merge a topic
 * of one to five commits forked one to `maxFork` first-parent commits back (a seeded
 * choice), the topic's commits each writing a line to a file of the topic's own: a history
 * shaped like a project that merges topic branches. Returns the new tip.
 */
function mergeHistory(repo: string, ref: string, from: string, merges: number, maxFork: number, seed: number): string {
  const rand = prng(seed);
  const chain = [from];
  const stream: string[] = [];
  let mark = 0;
  for (let m = 0; m < merges; m++) {
    const back = 1 + Math.floor(rand() * Math.min(maxFork, chain.length));
    const fork = chain[chain.length - back];
    const file = `topics/t${seed}-${m}.txt`;
    let content = '';
    stream.push(`reset refs/heads/tmp/topic`, `from ${fork}`, '');
    const length = 1 + Math.floor(rand() * 5);
    for (let i = 0; i < length; i++) {
      stamp += 60;
      content += `topic ${m} commit ${i}\n`;
      stream.push(
        'commit refs/heads/tmp/topic',
        `mark :${++mark}`,
        `committer Test <test@example.test> ${stamp} +0000`,
        `data <<EOM\ntopic ${m} ${i}\nEOM`,
        `M 100644 inline ${file}`,
        `data ${Buffer.byteLength(content)}`,
        content,
      );
    }
    const topic = `:${mark}`;
    stamp += 60;
    stream.push(
      `commit ${ref}`,
      `mark :${++mark}`,
      `committer Test <test@example.test> ${stamp} +0000`,
      `data <<EOM\nmerge topic ${m}\nEOM`,
      `from ${chain[chain.length - 1]}`,
      `merge ${topic}`,
      `M 100644 inline ${file}`,
      `data ${Buffer.byteLength(content)}`,
      content,
    );
    chain.push(`:${mark}`);
  }
  stream.push('reset refs/heads/tmp/topic', `from ${ZEROS}`, '');
  fastImport(repo, stream);
  return refValue(repo, ref)!;
}

/** A topic of `length` commits on `fork`, merged into `ref`'s tip; returns the merge. */
function mergeTopic(repo: string, ref: string, fork: string, length: number, label: string): string {
  const topic = commits(repo, `refs/heads/${label}`, length, { from: fork, label });
  return commits(repo, ref, 1, { from: refValue(repo, ref)!, merge: topic, label: `merge ${label}` });
}

/**
 * The git commands that talked to a server after the two listings (which must come first,
 * one on each side, asked at once), each as "<repository> <service> x<requests>", in order.
 */
function listingsThen(r: Run): string[] {
  const all = connectionsOf(r.requests);
  expect(all.slice(0, 2).sort()).toEqual(['a upload-pack x2', 'b upload-pack x2']);
  return all.slice(2);
}

describe('the source fetch asks for what the target lacks, against a base from the target', () => {
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
    // and the scratch repository held the three-commit base and the new commit, with the
    // blobs that changed (the new one, and the old one its delta needed) but not the rest
    expect(r.scratch).toEqual({ commits: 4, baseCommits: 3, blobs: 2, shallow: true, partial: true });
    // the target's value and the source's were fetched by id, the source's against the base
    expect(r.calls('fetch', `+${base}:refs/mirror/base`)).toHaveLength(1);
    expect(r.calls('fetch', '--depth=3')).toHaveLength(1);
    expect(r.calls('fetch', `+${tip}:refs/mirror/source`)).toHaveLength(1);
    expect(r.calls('fetch', '--negotiation-tip=refs/mirror/base')).toHaveLength(1);
    expect(r.calls('fetch', '--unshallow')).toEqual([]);
    expect(r.pushNegotiated).toBe(false);
    // both sides were asked for their branches only
    expect(r.calls('ls-remote', '--heads')).toHaveLength(2);
    // twelve requests, from six git commands: the two listings (asked at once), then one
    // after the other the base, the source fetch, the blob its delta needed, and the push
    expect(r.requests.filter((q) => q.status !== 200)).toEqual([]);
    expect(listingsThen(r)).toEqual(['b upload-pack x2', 'a upload-pack x2', 'a upload-pack x2', 'b receive-pack x2']);
    // the blob fetched on demand came from the source, with the source's credential
    expect(r.requests.filter((q) => q.url.startsWith('/a.git/') && q.user !== 'user-a')).toEqual([]);
  });

  test('a change to five files: the blobs the base lacks for the deltas come in one fetch, not one each', async () => {
    // given: five 120-line files, on both sides; the source changes a line in each
    const files = (change: string) =>
      Array.from({ length: 5 }, (_, n) => {
        const content = Array.from({ length: LINES }, (_, i) => (i === 7 ? `line ${i}: ${change}` : `line ${i} of file ${n}: the quick brown fox jumps over the lazy dog`)).join('\n') + '\n';
        return [`M 100644 inline file${n}.txt`, `data ${Buffer.byteLength(content)}`, content];
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
    // and the source was asked for its refs or objects three times: the listing, the
    // fetch, and one fetch of the five missing delta bases (not five)
    const sourceStarts = r.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/a.git/info/refs'));
    expect(sourceStarts).toHaveLength(3);
  });

  test('an echo run fetches nothing', async () => {
    const tip = commits(f.repoA, MAIN, 150);
    copyRef(f.repoA, f.repoB, MAIN);
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: ZEROS }, 'b->a'));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${tip} -> ${tip}: already in sync, nothing to do`);
    expect(r.calls('fetch')).toEqual([]);
    expect(r.calls('init')).toEqual([]);
    expect(r.madeRepository).toBe(false);
    // one listing on each side, asked at once, and nothing after
    expect(listingsThen(r)).toEqual([]);
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
    // and the source sent the merge and the topic only; the fork point came from the target
    // by id (its commit and trees), and the push negotiated with the target first
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(31 + 1);
    expect(r.edges).toEqual([fork]);
    expect(r.pushNegotiated).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
  });

  test('a fast-forward by the merge of a topic forked far back, in a history of merges: the new commits only', async () => {
    // given: a history of 200 merges of topics forked up to 150 merges back, on both sides
    const root = commits(f.repoA, MAIN, 10);
    const before = mergeHistory(f.repoA, MAIN, root, 200, 150, 7);
    copyRef(f.repoA, f.repoB, MAIN);
    // the source merges a four-commit topic forked 150 first-parent commits back
    const fork = gitIn(f.repoA, ['rev-parse', `${MAIN}~150`]);
    const merge = mergeTopic(f.repoA, MAIN, fork, 4, 'late');
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    // then
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(refValue(f.repoB, MAIN)).toBe(merge);
    expect(complete(f.repoB)).toBe(true);
    // the scratch repository held the base (three generations), the five new commits, the
    // fork point, and no blob but the new ones and the old ones their deltas needed
    // the scratch repository held the base (its three generations are six commits here),
    // the five new commits and the fork point, and the blobs the topic changed (five) and
    // the one their deltas stand on: no more, so the push needed no more either
    expect(r.scratch).toMatchObject({ commits: 6 + 5 + 1, baseCommits: 6, blobs: 5 + 1 });
    expect(r.edges).toEqual([fork]);
    // one after the other, after the listings: the base, the source fetch, the blob its
    // deltas needed, the fork point, and the push, which asked the target what it has
    // between its two requests (on a connection of its own)
    expect(r.requests.filter((q) => q.status !== 200)).toEqual([]);
    expect(listingsThen(r)).toEqual([
      'b upload-pack x2',
      'a upload-pack x2',
      'a upload-pack x2',
      'b upload-pack x2',
      'b receive-pack x2',
      'b upload-pack x2',
    ]);
    expect(r.pushNegotiated).toBe(true);
  });

  test('a topic forked below the base that changes a file deep in the tree: its fork point is fetched first, then the source fetch made once more', async () => {
    // given: twenty 120-line files in lib/core/; main changes fifteen of them, then 200
    // times another file; a topic forked before all that changes one more file in
    // lib/core/ and is merged. Its new lib/core tree is far closer to the fork point's than
    // to main's, so the source sends it as a delta on the fork point's, which the base
    // lacks, with the changed file as a delta on its old version in that tree. The
    // repository asks for both at once, and git's upload-pack leaves out a blob asked for
    // together with a tree that holds it when it comes to the tree first (the object ids'
    // order): the old file's content is chosen so that it does.
    const file = (n: number, change: string, salt = 0) =>
      (n === 3 ? `salt ${salt}\n` : '') +
      Array.from({ length: LINES }, (_, i) => (i === 9 ? `line ${i}: ${change}` : `line ${i} of lib file ${n}: the quick brown fox jumps over the lazy dog`)).join('\n') + '\n';
    const sha1 = (type: string, body: Buffer) => createHash('sha1').update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])).digest();
    const treeOf = (blobs: Array<[string, Buffer]>) =>
      sha1('tree', Buffer.concat([...blobs].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([name, oid]) => [Buffer.from(`100644 ${name}\0`), oid])));
    let salt = 0;
    for (; ; salt++) {
      const blobs = Array.from({ length: 20 }, (_, n): [string, Buffer] => [`file${n}.txt`, sha1('blob', Buffer.from(file(n, 'first', salt)))]);
      if (Buffer.compare(treeOf(blobs), blobs[3][1]) < 0) break;
    }
    const write = (ref: string, from: string | undefined, merge: string | undefined, files: Array<[string, string]>, message: string) => {
      stamp += 60;
      fastImport(f.repoA, [
        `commit ${ref}`,
        `committer Test <test@example.test> ${stamp} +0000`,
        `data <<EOM\n${message}\nEOM`,
        ...(from ? [`from ${from}`] : []),
        ...(merge ? [`merge ${merge}`] : []),
        ...files.flatMap(([p, c]) => [`M 100644 inline ${p}`, `data ${Buffer.byteLength(c)}`, c]),
      ]);
      return refValue(f.repoA, ref)!;
    };
    const fork = write(MAIN, undefined, undefined, Array.from({ length: 20 }, (_, n): [string, string] => [`lib/core/file${n}.txt`, file(n, 'first', salt)]), 'lib');
    const moved = write(MAIN, fork, undefined, Array.from({ length: 15 }, (_, n): [string, string] => [`lib/core/file${n + 5}.txt`, file(n + 5, 'changed on main')]), 'main');
    const before = commits(f.repoA, MAIN, 200, { from: moved, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const topic = write('refs/heads/topic', fork, undefined, [['lib/core/file3.txt', file(3, 'changed on the topic', salt)]], 'topic');
    const merge = write(MAIN, before, topic, [['lib/core/file3.txt', file(3, 'changed on the topic', salt)]], 'merge topic');
    expect(gitIn(f.repoA, ['rev-parse', `${fork}:lib/core`]) < gitIn(f.repoA, ['rev-parse', `${fork}:lib/core/file3.txt`])).toBe(true);
    // when
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    // then
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    // the first source fetch failed; the source's new commits, commits only, showed the
    // fork point; it came from the target by id; the source fetch was made again
    expect(r.calls('fetch', `+${merge}:refs/mirror/source`)).toHaveLength(2);
    expect(r.calls('fetch', `+${merge}:refs/peek`)).toHaveLength(1);
    expect(r.edges).toEqual([fork]);
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(2 + 1);
    expect(r.pushNegotiated).toBe(true);
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
    // then: the source knew the base's older commits, so only the merge and the topic came;
    // the target, asked for the source's value by id, does not have it: diverged, exactly
    expect(r.code).toBe(X.NOT_FAST_FORWARD.code);
    expect(r.lastLine.startsWith(failurePrefix('NOT_FAST_FORWARD'))).toBe(true);
    expect(r.lastLine).toContain(`target ${theirs} and source ${merge} have diverged`);
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(31);
    expect(r.scratch.shallow).toBe(true);
    expect(r.calls('fetch', `+${merge}:refs/probe`)).toHaveLength(1);
    expect(r.calls('fetch', '--unshallow')).toEqual([]);
    expect(r.calls('push')).toEqual([]);
    expect(refValue(f.repoB, MAIN)).toBe(theirs);
  });

  test('a target ahead within the base is left alone without asking the source for anything', async () => {
    const old = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const ahead = commits(f.repoB, MAIN, 2, { from: old, label: 'target' });
    const r = await run(f, f.inputs(MAIN));
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${ahead} -> ${ahead}: target is ahead of source ${old} (it has all of the source's commits); left unchanged`,
    );
    expect(r.calls('fetch', 'refs/mirror/source')).toEqual([]);
    // the two listings and the base
    expect(r.requests).toHaveLength(6);
  });

  test('a target ahead by more than the base holds is left alone', async () => {
    // given: the source is at commit 50; the target has 150 more on top
    const old = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const ahead = commits(f.repoB, MAIN, 150, { from: old, label: 'target' });
    // when: a run without an old SHA (a manual run, or a late webhook)
    const r = await run(f, f.inputs(MAIN));
    // then: the target has the source's value, so the rest of its history is fetched to see
    expect(r.code).toBe(0);
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${ahead} -> ${ahead}: target is ahead of source ${old} (it has all of the source's commits); left unchanged`,
    );
    expect(r.calls('fetch', '--unshallow')).toHaveLength(1);
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
    // the base's oldest commit is the shared one: the source sent its three new commits
    expect(r.scratch).toMatchObject({ commits: 6, baseCommits: 3, shallow: true });
    expect(r.calls('fetch', '--unshallow')).toEqual([]);
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
    // the base (the three dropped commits), the new commit, and the commit it stands on,
    // fetched from the target by id
    expect(r.scratch).toMatchObject({ commits: 5, baseCommits: 3, blobs: 2 });
    expect(r.edges).toEqual([c197]);
    expect(r.pushNegotiated).toBe(true);
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
    expect(r.scratch).toMatchObject({ commits: 5, baseCommits: 3 });
    expect(r.calls('fetch', '+HEAD:refs/mirror/base')).toHaveLength(1);
    expect(r.pushNegotiated).toBe(false);
  });

  test('a new branch forked far back in a history of merges: the new commit and its fork point', async () => {
    const root = commits(f.repoA, MAIN, 10);
    mergeHistory(f.repoA, MAIN, root, 200, 150, 11);
    copyRef(f.repoA, f.repoB, MAIN);
    const fork = gitIn(f.repoA, ['rev-parse', `${MAIN}~180`]);
    const feature = commits(f.repoA, 'refs/heads/feature', 1, { from: fork, label: 'feature' });
    const r = await run(f, f.inputs('refs/heads/feature', { referenceShaOld: ZEROS }));
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/feature: target (none) -> ${feature}: created on target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(1 + 1);
    expect(r.edges).toEqual([fork]);
    expect(r.pushNegotiated).toBe(true);
  });

  test('a new branch off a branch forked below the base: the fork point comes by id', async () => {
    // given: main with 300 commits, and release forked at commit 50 with 3 commits, on both
    const c50 = commits(f.repoA, MAIN, 50);
    const main = commits(f.repoA, MAIN, 250, { from: c50, label: 'main' });
    const release = commits(f.repoA, 'refs/heads/release', 3, { from: c50, label: 'release' });
    copyRef(f.repoA, f.repoB, MAIN);
    copyRef(f.repoA, f.repoB, 'refs/heads/release');
    // when: the source creates hotfix off release
    const hotfix = commits(f.repoA, 'refs/heads/hotfix', 1, { from: release, label: 'hotfix' });
    const r = await run(f, f.inputs('refs/heads/hotfix', { referenceShaOld: ZEROS }));
    // then: created; the source sent the hotfix and release's three commits (the base is
    // main's), the target the fork point by id, and the push negotiated
    expect(r.lastLine).toBe(`mirror: ok: refs/heads/hotfix: target (none) -> ${hotfix}: created on target`);
    expect(refValue(f.repoB, 'refs/heads/hotfix')).toBe(hotfix);
    expect(refValue(f.repoB, MAIN)).toBe(main);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    expect(r.scratch).toMatchObject({ commits: 3 + 4 + 1, baseCommits: 3, shallow: true, partial: true });
    expect(r.edges).toEqual([c50]);
  });

  test('a new annotated tag on an old commit of the default branch fetches the tag object only', async () => {
    const main = commits(f.repoA, MAIN, 120);
    copyRef(f.repoA, f.repoB, MAIN);
    gitIn(f.repoA, ['tag', '-a', '-m', 'release', 'v1', `${main}~50`]);
    const tag = refValue(f.repoA, 'refs/tags/v1')!;
    const tagged = gitIn(f.repoA, ['rev-parse', `${main}~50`]);
    const r = await run(f, f.inputs('refs/tags/v1', { referenceShaOld: ZEROS }));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, 'refs/tags/v1')).toBe(tag);
    expect(gitIn(f.repoB, ['cat-file', '-t', tag])).toBe('tag');
    expect(complete(f.repoB)).toBe(true);
    // the base, and the tagged commit by id from the target in the same fetch (three
    // generations of it too), the listing having named it (the tag's peeled value)
    expect(r.scratch).toMatchObject({ commits: 3 + 3, baseCommits: 3, blobs: 0 });
    expect(r.edges).toEqual([tagged]);
    expect(r.calls('fetch', `+${tagged}:refs/mirror/edge/${tagged}`)).toEqual([r.calls('fetch', '+HEAD:refs/mirror/base')[0]]);
    expect(r.calls('ls-remote', '--tags')).toHaveLength(2);
    expect(r.pushNegotiated).toBe(true);
    // one after the other: the base (by name, HEAD), the source fetch (offering the tagged
    // commit too, so the source sends the tag at once), the push and its negotiation
    expect(listingsThen(r)).toEqual(['b upload-pack x3', 'a upload-pack x2', 'b receive-pack x2', 'b upload-pack x2']);
  });

  test('a new annotated tag on a commit new to the target: the base alone, the commit from the source', async () => {
    const main = commits(f.repoA, MAIN, 120);
    copyRef(f.repoA, f.repoB, MAIN);
    const fresh = commits(f.repoA, MAIN, 2, { from: main, label: 'fresh' });
    gitIn(f.repoA, ['tag', '-a', '-m', 'release', 'v2', fresh]);
    const tag = refValue(f.repoA, 'refs/tags/v2')!;
    const r = await run(f, f.inputs('refs/tags/v2', { referenceShaOld: ZEROS }));
    expect(r.lastLine).toBe(`mirror: ok: refs/tags/v2: target (none) -> ${tag}: created on target`);
    expect(complete(f.repoB)).toBe(true);
    // asked for with the base (the target does not have it), then the base alone, and
    // not asked for again
    expect(r.calls('fetch', `+${fresh}:refs/mirror/edge/${fresh}`)).toHaveLength(1);
    expect(r.calls('fetch', '+HEAD:refs/mirror/base')).toHaveLength(2);
    expect(r.edges).toEqual([]);
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(2);
    expect(r.pushNegotiated).toBe(false);
  });

  test('a new tag on a commit the target has but no ref of it reaches: created, not refused as a shallow update', async () => {
    // given: a branch that reached the target, and was then deleted there (its commits stay)
    const main = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const x = commits(f.repoA, 'refs/heads/x', 2, { from: main, label: 'x' });
    copyRef(f.repoA, f.repoB, 'refs/heads/x');
    gitIn(f.repoB, ['update-ref', '-d', 'refs/heads/x']);
    gitIn(f.repoA, ['tag', '-a', '-m', 'on x', 'vx', x]);
    const tag = refValue(f.repoA, 'refs/tags/vx')!;
    // when
    const r = await run(f, f.inputs('refs/tags/vx', { referenceShaOld: ZEROS }));
    // then: the tagged commit came from the target by id, its parents from the source (no
    // ref of the target reaches them), and the push did not say the history stops there
    expect(r.lastLine).toBe(`mirror: ok: refs/tags/vx: target (none) -> ${tag}: created on target`);
    expect(refValue(f.repoB, 'refs/tags/vx')).toBe(tag);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    expect(r.edges).toEqual([x]);
  });

  test('a push the target refuses as a shallow update (its refs moved since the listing): the whole history', async () => {
    // given: a new tag on main~5, a commit the target has
    const main = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const tagged = gitIn(f.repoA, ['rev-parse', `${main}~5`]);
    gitIn(f.repoA, ['tag', '-a', '-m', 'release', 'v5', tagged]);
    const tag = refValue(f.repoA, 'refs/tags/v5')!;
    // and, just as the push starts, main moves back on the target below the tagged commit,
    // so that none of the target's refs reaches where the pushed history stops
    const older = gitIn(f.repoB, ['rev-parse', `${main}~10`]);
    f.server.beforeNextRequest(/^\/b\.git\/info\/refs\?service=git-receive-pack/, () => setRef(f.repoB, MAIN, older, main));
    // when
    const r = await run(f, f.inputs('refs/tags/v5', { referenceShaOld: ZEROS }));
    // then: refused from the base, then pushed from the whole history
    expect(r.stdout).toContain('mirror: refs/tags/v5: the target would not take the push from a shallow history; fetching the whole history');
    expect(r.lastLine).toBe(`mirror: ok: refs/tags/v5: target (none) -> ${tag}: created on target`);
    expect(refValue(f.repoB, 'refs/tags/v5')).toBe(tag);
    expect(complete(f.repoB)).toBe(true);
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
    expect(r.scratch).toEqual({ commits: 150, baseCommits: 0, blobs: 150, shallow: false, partial: false });
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
    expect(r.scratch).toEqual({ commits: 201, baseCommits: 0, blobs: 201, shallow: false, partial: false });
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
    expect(r.scratch).toEqual({ commits: 4, baseCommits: 3, blobs: 4, shallow: true, partial: true });
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
    expect(r.scratch).toEqual({ commits: 151, baseCommits: 0, blobs: 151, shallow: false, partial: false });
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

describe('a target that speaks protocol v0 only: no commit by id, no negotiation before a push', () => {
  let f: MirrorFixture;
  beforeEach(async () => {
    f = await MirrorFixture.start();
    allowFilter(f.repoA);
    allowFilter(f.repoB);
    f.server.refuseProtocolV2('b');
  });
  afterEach(async () => {
    await f.close();
  });

  test('a plain fast-forward: the target value by id (it is a ref tip), as over protocol v2', async () => {
    const base = commits(f.repoA, MAIN, 300);
    copyRef(f.repoA, f.repoB, MAIN);
    const tip = commits(f.repoA, MAIN, 1, { from: base, label: 'new' });
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: base }));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${base} -> ${tip}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toEqual({ commits: 4, baseCommits: 3, blobs: 2, shallow: true, partial: true });
  });

  test('a merge of a topic forked 250 commits back: the base is deepened in steps until it holds the fork point', async () => {
    const c50 = commits(f.repoA, MAIN, 50);
    const before = commits(f.repoA, MAIN, 250, { from: c50, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const merge = mergeTopic(f.repoA, MAIN, c50, 3, 'old');
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    // asked by id first (refused), then deepened by 64 and by 512 generations
    expect(r.calls('fetch', `+${c50}:refs/mirror/edge/${c50}`)).toHaveLength(1);
    expect(r.edges).toEqual([]);
    expect(r.calls('fetch', '--deepen=64')).toHaveLength(1);
    expect(r.calls('fetch', '--deepen=512')).toHaveLength(1);
    expect(r.pushNegotiated).toBe(false);
    // the base then held the whole history down to the fork point, and the new commits came alone
    expect(r.scratch.commits - r.scratch.baseCommits).toBe(4);
    expect(r.scratch.blobs).toBeLessThanOrEqual(2 * 4);
  });

  test('a new annotated tag on an old commit: the base is deepened until it holds the tagged commit', async () => {
    const main = commits(f.repoA, MAIN, 120);
    copyRef(f.repoA, f.repoB, MAIN);
    const tagged = gitIn(f.repoA, ['rev-parse', `${main}~50`]);
    gitIn(f.repoA, ['tag', '-a', '-m', 'release', 'v1', tagged]);
    const tag = refValue(f.repoA, 'refs/tags/v1')!;
    const r = await run(f, f.inputs('refs/tags/v1', { referenceShaOld: ZEROS }));
    expect(r.lastLine).toBe(`mirror: ok: refs/tags/v1: target (none) -> ${tag}: created on target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).not.toContain('fetching the whole history');
    // asked for with the base (refused: no ref points at it), then the base deepened once
    expect(r.calls('fetch', `+${tagged}:refs/mirror/edge/${tagged}`)).toHaveLength(1);
    expect(r.calls('fetch', '--deepen=64')).toHaveLength(1);
    expect(r.pushNegotiated).toBe(false);
  });

  test('a fork point further back than the last deepening step: the whole history', async () => {
    const c10 = commits(f.repoA, MAIN, 10);
    const before = commits(f.repoA, MAIN, 700, { from: c10, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const merge = mergeTopic(f.repoA, MAIN, c10, 2, 'older');
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    expect(r.stdout).toContain(`mirror: ${MAIN}: the target will not hand out the commits the source's new ones stand on; fetching the whole history`);
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.scratch).toMatchObject({ shallow: false, partial: false, baseCommits: 0 });
  });

  test('with uploadpack.allowReachableSHA1InWant the fork point comes by id, but the push cannot negotiate: the whole history', async () => {
    gitIn(f.repoB, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
    const c50 = commits(f.repoA, MAIN, 50);
    const before = commits(f.repoA, MAIN, 250, { from: c50, label: 'main' });
    copyRef(f.repoA, f.repoB, MAIN);
    const merge = mergeTopic(f.repoA, MAIN, c50, 3, 'old');
    const r = await run(f, f.inputs(MAIN, { referenceShaOld: before }));
    expect(r.lastLine).toBe(`mirror: ok: ${MAIN}: target ${before} -> ${merge}: fast-forwarded target`);
    expect(complete(f.repoB)).toBe(true);
    expect(r.stdout).toContain(`mirror: ${MAIN}: the push needed objects the base lacks; fetching the whole history`);
    expect(r.calls('fetch', `+${c50}:refs/mirror/edge/${c50}`)).toHaveLength(1);
    expect(r.calls('fetch', '--deepen=64')).toEqual([]);
  });

  test('a target ahead that will not say whether it has the source value: its history is fetched to see', async () => {
    const old = commits(f.repoA, MAIN, 50);
    copyRef(f.repoA, f.repoB, MAIN);
    const ahead = commits(f.repoB, MAIN, 20, { from: old, label: 'target' });
    const r = await run(f, f.inputs(MAIN));
    expect(r.lastLine).toBe(
      `mirror: ok: ${MAIN}: target ${ahead} -> ${ahead}: target is ahead of source ${old} (it has all of the source's commits); left unchanged`,
    );
    expect(r.calls('fetch', `+${old}:refs/probe`)).toHaveLength(1);
    expect(r.calls('fetch', '--unshallow')).toHaveLength(1);
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
