/**
 * The large repositories the git benchmark mirrors: synthetic histories written with
 * `git fast-import` from a seeded generator (the same parameters give the same commits),
 * then packed the way a hosting server keeps it (one pack with deltas, a reachability
 * bitmap and a commit-graph). Built once and cached under `.bench-cache/`.
 *
 * Two topologies, both sized like git's own repository (about 80,000 commits):
 *
 * - merge-light: a main line where direct commits alternate with merges of short topic
 *   branches (forked from main's tip, main moving on meanwhile), release branches forking
 *   off main with a few fixes of their own, annotated and lightweight tags.
 * - merge-dense, shaped like git's own history: about 24,000 first-parent commits on main,
 *   64% of them merges; most merge a topic branch of 1 to 20 commits (3 on average)
 *   forked 1 to 500 first-parent commits back (log-uniformly: half within 22, a tenth
 *   beyond 270), the rest merge a long-lived release branch that collects fix topics
 *   of its own; a new release branch every few thousand first-parent commits; tags on
 *   main and on the release branches.
 *
 * Both: 5,000 files of code-like lines
 * (200 lines on average, written with a few thousand made-up identifiers) spread over
 * nested folders. A commit changes one to eight files (three on average), each in one to
 * five hunks that replace a block of lines with a new one, most blocks a few lines and some
 * up to 25 (about 50 lines added and 50 removed per commit). Commit messages read like
 * git's: a subject with an area prefix, a body of one to three wrapped paragraphs and
 * trailers; a merge describes its topic and lists the topic's subjects.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../test/helpers/prng';

/** How the history is shaped (see the file's description). */
export enum Topology {
  MERGE_LIGHT = 'merge-light',
  MERGE_DENSE = 'merge-dense',
}

/** Size of the generated repository. */
export interface RepoShape {
  readonly topology: Topology;
  /** Commits in all (the generator stops at the first merge past this number). */
  readonly commits: number;
  /** Files in the first commit. */
  readonly files: number;
  /** Mean lines per file in the first commit (each file gets 20% to 180% of it). */
  readonly lines: number;
  /** Distinct made-up identifiers the files and commit messages are written with. */
  readonly words: number;
  /** Most lines one hunk of an edit removes, and most it adds (most hunks are far smaller). */
  readonly hunk: number;
  /**
   * merge-light: a release branch and a tag every this many topic merges. merge-dense: a
   * new long-lived release branch every this many first-parent commits.
   */
  readonly releaseEvery: number;
}

/**
 * The merge-light shape, sized like git's own repository: 80,000 commits, 5,000 files,
 * about 1,000 refs, about 460 MB packed (built in about five minutes on two cores).
 * `BENCH_COMMITS` and `BENCH_FILES` change it (a smaller repository builds faster; the
 * guide's approach then has less history to fetch).
 */
export const DEFAULT_SHAPE: RepoShape = {
  topology: Topology.MERGE_LIGHT,
  commits: Number(process.env.BENCH_COMMITS ?? 80000),
  files: Number(process.env.BENCH_FILES ?? 5000),
  lines: 200,
  words: 4000,
  hunk: 25,
  releaseEvery: 30,
};

/**
 * The merge-dense shape, sized like git's own history (82,000 commits), with 4,000 files.
 * `BENCH_DENSE_COMMITS` and `BENCH_DENSE_FILES` change it.
 */
export const MERGE_DENSE_SHAPE: RepoShape = {
  topology: Topology.MERGE_DENSE,
  commits: Number(process.env.BENCH_DENSE_COMMITS ?? 82000),
  files: Number(process.env.BENCH_DENSE_FILES ?? 4000),
  lines: 200,
  words: 4000,
  hunk: 25,
  releaseEvery: 2500,
};

/** Parameters of the merge-dense history. */
const DENSE = {
  /** Share of first-parent commits that merge a topic (release merges come on top). */
  topicMerges: 0.6,
  /** A release branch is merged into main every this many first-parent commits. */
  releaseMergeEvery: 25,
  /** Chance per first-parent commit that a fix topic is merged into the release branch. */
  fixes: 0.25,
  /** Longest topic, and the chance a topic goes on after each commit (3 commits on average). */
  topicMax: 20,
  topicGoesOn: 2 / 3,
  /** Furthest a topic forks back, in first-parent commits. */
  forkMax: 500,
  /** An annotated tag on main every this many first-parent commits. */
  tagEvery: 100,
};

/** The shape of a history as measured in the built repository. */
export interface Topography {
  /** Commits on main's first-parent chain. */
  readonly firstParent: number;
  /** Merge commits in the whole repository. */
  readonly merges: number;
  /** Merges on main's first-parent chain, and their share of it. */
  readonly firstParentMerges: number;
  readonly mergeShare: number;
  /**
   * For the merges on main's first-parent chain: how many first-parent commits back the
   * merged branch forked from main (median, 90th percentile, largest), and how many
   * commits it had (median, largest; counted along its first parents).
   */
  readonly forkBack: { readonly median: number; readonly p90: number; readonly max: number };
  readonly branchLength: { readonly median: number; readonly max: number };
}

/** A built repository and what the benchmark needs to know about it. */
export interface BenchRepo {
  /** The bare repository (read-only: the benchmark copies it by hard links). */
  readonly dir: string;
  readonly commitCount: number;
  readonly refCount: number;
  readonly packBytes: number;
  readonly fileCount: number;
  readonly topology: Topology;
  readonly topography: Topography;
  /** How long the build took, or undefined when it came from the cache. */
  readonly buildSeconds?: number;
}

const GIT_ENV = {
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

function git(dir: string, args: readonly string[], input?: string): string {
  return execFileSync('git', ['--git-dir', dir, ...args], {
    encoding: 'utf8',
    input,
    env: GIT_ENV,
    maxBuffer: 1 << 28,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

/** Areas a commit subject starts with, as in git's own history ("fetch: ..."). */
const AREAS = (
  'fetch push clone refs config diff merge rebase sequencer pack-objects index-pack repack gc ' +
  'commit-graph midx bitmap http transport bundle log revision grep blame submodule worktree ' +
  'remote upload-pack receive-pack fsck object-file strbuf run-command t tests doc ci Makefile'
).split(' ');
/** Verbs a commit subject goes on with ("fetch: teach ..."). */
const VERBS = (
  'fix teach avoid use drop add allow simplify refactor document stop make handle clarify ' +
  'introduce remove rename reuse plug optimize split move free check report'
).split(' ');
/** Short words that make commit message bodies read like prose. */
const GLUE = 'the a an to of in on and or is are be not we it this that when with for by as from so'.split(' ');
/** Trailers besides Signed-off-by. */
const TRAILERS = ['Helped-by', 'Reviewed-by', 'Acked-by', 'Reported-by', 'Suggested-by', 'Tested-by'];

/** `n` distinct made-up words of one to three syllables, the identifiers files are written with. */
function vocabulary(rand: () => number, n: number): string[] {
  const onsets = ['', 'b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'ch', 'sh', 'th', 'st', 'tr', 'pr', 'gr', 'bl', 'cl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou'];
  const codas = ['', '', 'n', 'r', 's', 't', 'l', 'm', 'ck', 'nd', 'st', 'x'];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < n) {
    const syllables = 1 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < syllables; i++) w += pick(onsets) + pick(vowels) + pick(codas);
    if (w.length < 3 || seen.has(w)) continue;
    seen.add(w);
    words.push(w);
  }
  return words;
}

/**
 * Writes the fast-import stream to `sink` (a function that may return a promise to wait
 * for drain) and returns the number of commits written.
 */
async function generate(shape: RepoShape, write: (s: string) => Promise<void>): Promise<{ commits: number }> {
  const rand = prng(20240611);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const vocab = vocabulary(rand, shape.words);
  // Some identifiers are much more common than others.
  const word = () => vocab[Math.floor(vocab.length * rand() * rand())];
  const ident = () => (rand() < 0.3 ? `${word()}_${word()}` : word());
  /** A line of code-like text: indented, a statement, a call, a block opening or a comment. */
  const line = () => {
    if (rand() < 0.08) return '';
    const indent = '\t'.repeat(Math.floor(rand() * 4));
    const n = 1 + Math.floor(rand() * 6);
    const args: string[] = [];
    for (let i = 0; i < n; i++) args.push(ident());
    const kind = rand();
    if (kind < 0.35) return `${indent}${ident()}(${args.join(', ')});`;
    if (kind < 0.55) return `${indent}${ident()} = ${args.join(' + ')};`;
    if (kind < 0.7) return `${indent}if (${args.join(' && ')}) {`;
    if (kind < 0.8) return `${indent}/* ${args.join(' ')} ${ident()} ${ident()} */`;
    if (kind < 0.9) return `${indent}}`;
    return `${indent}return ${args[0]};`;
  };

  // Developers: made-up names, one of them the maintainer who merges topics.
  const devs = Array.from({ length: 150 }, (_, i) => {
    const first = vocab[(i * 7 + 1) % vocab.length];
    const last = vocab[(i * 11 + 3) % vocab.length];
    const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
    return { name: `${cap(first)} ${cap(last)}`, email: `${first}.${last}@example.test` };
  });
  const maintainer = devs[0];

  /** Prose of about `n` words wrapped at 72 columns. */
  const prose = (n: number) => {
    const out: string[] = [];
    let cur = '';
    for (let i = 0; i < n; i++) {
      const w = rand() < 0.45 ? pick(GLUE) : ident();
      if (cur.length + 1 + w.length > 72) {
        out.push(cur);
        cur = w;
      } else {
        cur = cur ? `${cur} ${w}` : w;
      }
    }
    if (cur) out.push(`${cur}.`);
    return out.join('\n');
  };
  const subject = () => {
    const ws: string[] = [];
    const n = 2 + Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) ws.push(rand() < 0.3 ? pick(GLUE) : ident());
    return `${pick(AREAS)}: ${pick(VERBS)} ${ws.join(' ')}`;
  };
  /** Subject, a body of one to three paragraphs, and trailers, as in git's own history. */
  const message = (author: { name: string; email: string }, subj: string) => {
    const paragraphs: string[] = [];
    const count = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < count; i++) paragraphs.push(prose(15 + Math.floor(rand() * 60)));
    let trailers = `Signed-off-by: ${author.name} <${author.email}>\n`;
    while (rand() < 0.35) {
      const d = pick(devs);
      trailers = `${pick(TRAILERS)}: ${d.name} <${d.email}>\n${trailers}`;
    }
    trailers += `Signed-off-by: ${maintainer.name} <${maintainer.email}>\n`;
    return `${subj}\n\n${paragraphs.join('\n\n')}\n\n${trailers}`;
  };

  // Paths: src/<a>/<b>/file<c>.txt, twenty files per folder, each its own length.
  const paths: string[] = [];
  for (let i = 0; i < shape.files; i++) {
    paths.push(`src/m${Math.floor(i / 400)}/p${Math.floor(i / 20) % 20}/file${i % 20}.txt`);
  }
  const targetLines = new Map<string, number>();
  const contents = new Map<string, string[]>();
  for (const p of paths) {
    const n = Math.max(5, Math.round(shape.lines * (0.2 + 1.6 * rand())));
    targetLines.set(p, n);
    contents.set(p, Array.from({ length: n }, line));
  }
  // Topics touch the first half of the files, direct commits on main the second half, so
  // a merge never has to reconcile both sides' edits of one file. Some files change far
  // more often than others.
  const shuffled = (xs: readonly string[]) => {
    const ys = [...xs];
    for (let i = ys.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [ys[i], ys[j]] = [ys[j], ys[i]];
    }
    return ys;
  };
  const topicPaths = shuffled(paths.slice(0, paths.length >> 1));
  const mainPaths = shuffled(paths.slice(paths.length >> 1));
  const pickPath = (pool: readonly string[]) => pool[Math.floor(pool.length * rand() * rand())];

  let mark = 0;
  let time = 1_500_000_000;
  let commits = 0;
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const who = (d: { name: string; email: string }) => `${d.name} <${d.email}> ${time} +0000`;

  /** Emits a commit on `ref` and returns its mark. */
  const commit = async (ref: string, from: number | undefined, merges: number[], author: { name: string; email: string }, message: string, changed: Map<string, string[]>): Promise<number> => {
    const m = ++mark;
    time += 60 + Math.floor(rand() * 3600);
    let s = `commit ${ref}\nmark :${m}\nauthor ${who(author)}\ncommitter ${who(maintainer)}\n${data(message)}`;
    if (from !== undefined) s += `from :${from}\n`;
    for (const mm of merges) s += `merge :${mm}\n`;
    for (const [p, ls] of changed) s += `M 100644 inline ${p}\n${data(ls.join('\n') + '\n')}`;
    await write(s + '\n');
    commits++;
    return m;
  };

  /**
   * Changes one to eight files of `pool` in `state` (most often one to three), each in one
   * to five hunks; a hunk removes a block of lines and writes a new block in its place,
   * each block mostly a few lines, now and then up to `shape.hunk` (and at most half the
   * file's length). Returns the changed files.
   */
  const edit = (state: Map<string, string[]>, pool: readonly string[], fallback?: Map<string, string[]>): Map<string, string[]> => {
    const changed = new Map<string, string[]>();
    const n = pick([1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8]);
    for (let i = 0; i < n; i++) {
      const p = pickPath(pool);
      const ls = [...(state.get(p) ?? fallback?.get(p) ?? contents.get(p)!)];
      const target = targetLines.get(p)!;
      const most = Math.min(shape.hunk, Math.ceil(target / 2));
      const block = () => Math.floor((most + 1) * rand() ** 3);
      const hunks = 1 + Math.floor(rand() * 5);
      for (let h = 0; h < hunks; h++) {
        const at = Math.floor(rand() * (ls.length + 1));
        let del = block();
        let ins = block();
        // Files stay near their own length.
        if (ls.length > target * 1.25) ins >>= 1;
        if (ls.length < target * 0.75) del >>= 1;
        if (del + ins === 0) ins = 1;
        const added: string[] = [];
        for (let k = 0; k < ins; k++) added.push(line());
        ls.splice(at, del, ...added);
      }
      state.set(p, ls);
      changed.set(p, ls);
    }
    return changed;
  };

  // The first commit holds every file.
  let main = await commit('refs/heads/main', undefined, [], maintainer, 'Initial revision\n', contents);
  if (shape.topology === Topology.MERGE_DENSE) {
    return denseHistory(main);
  }
  const refs: string[] = [];
  let topicNo = 0;
  let releaseNo = 0;
  let tagNo = 0;

  while (commits < shape.commits) {
    // A topic branch: forked from main, one to four commits, main moves on meanwhile.
    const fork = main;
    const topicState = new Map<string, string[]>();
    const topicName = `topic/t${++topicNo}`;
    const topicAuthor = pick(devs);
    const subjects: string[] = [];
    let topic = fork;
    const topicLen = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < topicLen; i++) {
      const subj = subject();
      subjects.push(subj);
      topic = await commit(`refs/heads/${topicName}`, topic, [], topicAuthor, message(topicAuthor, subj), edit(topicState, topicPaths));
    }
    const direct = Math.floor(rand() * 4);
    for (let i = 0; i < direct; i++) {
      const changed = edit(contents, mainPaths);
      const author = pick(devs);
      main = await commit('refs/heads/main', main, [], author, message(author, subject()), changed);
    }
    for (const [p, ls] of topicState) contents.set(p, ls);
    const mergeMessage = `Merge branch '${topicName}'\n\n${prose(10 + Math.floor(rand() * 40))}\n\n* ${topicName}:\n${subjects.map((s) => `  ${s}\n`).reverse().join('')}`;
    main = await commit('refs/heads/main', main, [topic], maintainer, mergeMessage, topicState);

    // Now and then a release: a branch off main with a few fixes, and tags.
    if (topicNo % shape.releaseEvery === 0) {
      const rel = `refs/heads/release/r${++releaseNo}`;
      const relState = new Map<string, string[]>();
      let r = main;
      const fixes = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < fixes; i++) {
        const author = pick(devs);
        r = await commit(rel, r, [], author, message(author, subject()), edit(relState, mainPaths));
      }
      refs.push(rel);
      tagNo++;
      if (tagNo % 2 === 0) {
        await write(`tag v${tagNo}.0\nfrom :${r}\ntagger ${who(maintainer)}\n${data(`Release ${tagNo}.0\n\n${prose(20 + Math.floor(rand() * 30))}\n`)}`);
      } else {
        await write(`reset refs/tags/v${tagNo}.0\nfrom :${r}\n\n`);
      }
    }
  }
  return { commits };

  /**
   * The merge-dense history on top of the first commit (see the file's description).
   * Topics edit the first 60% of the files, direct commits on main the next 30%, release
   * fixes the last 10%: a merge never has to reconcile two sides' edits of one file. A
   * topic's first commit starts from its fork point's tree and writes the files it edits
   * as main has them now, edited.
   */
  async function denseHistory(first: number): Promise<{ commits: number }> {
    const chain = [first];
    const [topicPool, mainPool, fixPool] = [
      shuffled(paths.slice(0, Math.floor(paths.length * 0.6))),
      shuffled(paths.slice(Math.floor(paths.length * 0.6), Math.floor(paths.length * 0.9))),
      shuffled(paths.slice(Math.floor(paths.length * 0.9))),
    ];
    let topicNo = 0;
    let tagNo = 0;
    let release: { ref: string; no: number; tip: number; state: Map<string, string[]>; pending: Set<string>; merged: number } | undefined;
    /** A branch of commits on `ref` from `fork`, editing files of `pool`; returns its tip, subjects and files. */
    const branch = async (ref: string, fork: number, length: number, pool: readonly string[], base?: Map<string, string[]>) => {
      const state = new Map<string, string[]>();
      const author = pick(devs);
      const subjects: string[] = [];
      let tip = fork;
      for (let i = 0; i < length; i++) {
        const subj = subject();
        subjects.push(subj);
        tip = await commit(ref, tip, [], author, message(author, subj), edit(state, pool, base));
      }
      return { tip, subjects, state };
    };
    const mergeMessage = (name: string, subjects: readonly string[]) =>
      `Merge branch '${name}'\n\n${prose(10 + Math.floor(rand() * 40))}\n\n* ${name}:\n${subjects.map((x) => `  ${x}\n`).reverse().join('')}`;

    while (commits < shape.commits) {
      const step = chain.length;
      if (step % shape.releaseEvery === 0) {
        const no = (release?.no ?? 0) + 1;
        release = { ref: `refs/heads/release/r${no}`, no, tip: main, state: new Map(), pending: new Set(), merged: 0 };
        await write(`reset ${release.ref}\nfrom :${main}\n\n`);
      }
      if (release && rand() < DENSE.fixes) {
        // A fix topic of one to three commits, merged into the release branch.
        const name = `fix/f${++topicNo}`;
        const fix = await branch(`refs/heads/${name}`, release.tip, 1 + Math.floor(rand() * 3), fixPool, release.state);
        for (const [p, ls] of fix.state) {
          release.state.set(p, ls);
          release.pending.add(p);
        }
        release.tip = await commit(release.ref, release.tip, [fix.tip], maintainer, mergeMessage(name, fix.subjects), fix.state);
      }
      if (release && release.pending.size > 0 && step % DENSE.releaseMergeEvery === 0) {
        // The release branch merged into main, and tagged.
        const changed = new Map([...release.pending].map((p) => [p, release!.state.get(p)!] as [string, string[]]));
        for (const [p, ls] of changed) contents.set(p, ls);
        release.pending.clear();
        main = await commit('refs/heads/main', main, [release.tip], maintainer, `Merge branch 'release/r${release.no}'\n\n${prose(10 + Math.floor(rand() * 30))}\n`, changed);
        release.merged++;
        await write(`tag v${release.no}.${release.merged}\nfrom :${release.tip}\ntagger ${who(maintainer)}\n${data(`Release ${release.no}.${release.merged}\n`)}`);
      } else if (rand() < DENSE.topicMerges / (1 - 1 / DENSE.releaseMergeEvery)) {
        // A topic forked 1 to forkMax first-parent commits back, log-uniformly.
        const back = Math.min(chain.length, Math.floor(DENSE.forkMax ** rand()) || 1);
        let length = 1;
        while (length < DENSE.topicMax && rand() < DENSE.topicGoesOn) length++;
        const name = `topic/t${++topicNo}`;
        const topic = await branch(`refs/heads/${name}`, chain[chain.length - back], length, topicPool);
        for (const [p, ls] of topic.state) contents.set(p, ls);
        main = await commit('refs/heads/main', main, [topic.tip], maintainer, mergeMessage(name, topic.subjects), topic.state);
      } else {
        const author = pick(devs);
        main = await commit('refs/heads/main', main, [], author, message(author, subject()), edit(contents, mainPool));
      }
      chain.push(main);
      if (chain.length % DENSE.tagEvery === 0) {
        tagNo++;
        await write(`tag v0.${tagNo}\nfrom :${main}\ntagger ${who(maintainer)}\n${data(`Version 0.${tagNo}\n\n${prose(20)}\n`)}`);
      }
    }
    return { commits };
  }
}

/**
 * Measures the shape of a repository's history: main's first-parent chain, its merges,
 * and for each of them how far back and how long the merged branch is.
 */
export function measureTopography(dir: string): Topography {
  const parents = new Map<string, string[]>();
  for (const line of git(dir, ['rev-list', '--all', '--parents']).split('\n')) {
    const [c, ...ps] = line.split(' ');
    parents.set(c, ps);
  }
  const chain = git(dir, ['rev-list', '--first-parent', 'refs/heads/main']).split('\n').reverse();
  const index = new Map(chain.map((c, i) => [c, i]));
  const back: number[] = [];
  const lengths: number[] = [];
  for (const c of chain) {
    const ps = parents.get(c)!;
    if (ps.length < 2) continue;
    let length = 0;
    let at: string | undefined = ps[1];
    while (at !== undefined && !index.has(at)) {
      length++;
      at = parents.get(at)?.[0];
    }
    if (at !== undefined) {
      back.push(index.get(ps[0])! - index.get(at)! + 1);
      lengths.push(length);
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const q = (xs: number[], f: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(f * xs.length))] ?? 0;
  const firstParentMerges = chain.filter((c) => parents.get(c)!.length > 1).length;
  return {
    firstParent: chain.length,
    merges: [...parents.values()].filter((ps) => ps.length > 1).length,
    firstParentMerges,
    mergeShare: firstParentMerges / chain.length,
    forkBack: { median: q(back, 0.5), p90: q(back, 0.9), max: Math.max(0, ...back) },
    branchLength: { median: q(lengths, 0.5), max: Math.max(0, ...lengths) },
  };
}

/** The cache folder of the benchmark. */
export function cacheDir(): string {
  return path.resolve(__dirname, '..', '.bench-cache');
}

/** Builds the repository (or takes it from the cache) and returns it. */
export async function benchRepo(shape: RepoShape = DEFAULT_SHAPE, log: (s: string) => void = () => undefined): Promise<BenchRepo> {
  const dense = shape.topology === Topology.MERGE_DENSE;
  const name = `repo-${dense ? 'dense-' : ''}c${shape.commits}-f${shape.files}-l${shape.lines}-w${shape.words}-h${shape.hunk}-r${shape.releaseEvery}-${dense ? 'v1' : 'v2'}.git`;
  const dir = path.join(cacheDir(), name);
  const infoFile = path.join(dir, 'bench-info.json');
  if (fs.existsSync(infoFile)) {
    const cached = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    if (cached.topography === undefined) {
      // A repository cached before the topography was measured.
      cached.topography = measureTopography(dir);
      fs.writeFileSync(infoFile, JSON.stringify(cached));
    }
    return { dir, topology: shape.topology, ...cached };
  }
  log(`building ${name} (cached for later runs) ...`);
  const start = Date.now();
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(cacheDir(), { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', tmp], { env: GIT_ENV });

  const child = spawn('git', ['--git-dir', tmp, 'fast-import', '--quiet', '--done', '--depth=50'], { env: GIT_ENV, stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  let chunks: string[] = [];
  let pending = 0;
  const flush = async () => {
    const s = chunks.join('');
    chunks = [];
    pending = 0;
    if (!child.stdin.write(s)) {
      await new Promise<void>((resolve) => child.stdin.once('drain', () => resolve()));
    }
  };
  const write = async (s: string) => {
    chunks.push(s);
    pending += s.length;
    if (pending > 1 << 20) await flush();
  };
  const { commits } = await generate(shape, write);
  await write('done\n');
  await flush();
  child.stdin.end();
  if ((await exited) !== 0) {
    throw new Error('git fast-import failed');
  }
  log(`  fast-import: ${commits} commits in ${((Date.now() - start) / 1000).toFixed(0)} s; dropping old topic branches, packing ...`);
  // Keep the last 60 topic branches, as a busy repository would (older ones merged and deleted).
  const topics = git(tmp, ['for-each-ref', '--format=%(refname)', 'refs/heads/topic/', 'refs/heads/fix/'])
    .split('\n')
    .filter((r) => r.length > 0)
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  const drop = topics.slice(0, Math.max(0, topics.length - 60));
  git(tmp, ['update-ref', '--stdin'], drop.map((r) => `delete ${r}\n`).join(''));
  // The way a hosting server keeps it: one pack, good deltas, a bitmap, a commit-graph.
  git(tmp, ['repack', '-a', '-d', '-f', '-b', '-q', '--window=10', '--depth=50', '--threads=2']);
  git(tmp, ['pack-refs', '--all']);
  git(tmp, ['commit-graph', 'write', '--reachable']);
  const refCount = git(tmp, ['for-each-ref', '--format=x']).split('\n').length;
  const commitCount = Number(git(tmp, ['rev-list', '--all', '--count']));
  const packBytes = fs
    .readdirSync(path.join(tmp, 'objects', 'pack'))
    .filter((f) => f.endsWith('.pack'))
    .reduce((sum, f) => sum + fs.statSync(path.join(tmp, 'objects', 'pack', f)).size, 0);
  const fileCount = Number(git(tmp, ['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n').length);
  const topography = measureTopography(tmp);
  const buildSeconds = (Date.now() - start) / 1000;
  const info = { commitCount, refCount, packBytes, fileCount, topography };
  fs.writeFileSync(path.join(tmp, 'bench-info.json'), JSON.stringify(info));
  fs.renameSync(tmp, dir);
  log(`  built in ${buildSeconds.toFixed(0)} s`);
  return { dir, topology: shape.topology, ...info, buildSeconds };
}
