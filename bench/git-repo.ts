/**
 * The large repository the git benchmark mirrors: a synthetic history written with
 * `git fast-import` from a seeded generator (the same parameters give the same commits),
 * then packed the way a hosting server keeps it (one pack with deltas, a reachability
 * bitmap and a commit-graph). Built once and cached under `.bench-cache/`.
 *
 * Shape: a main line where direct commits alternate with merges of short topic branches
 * (forked from main, main moving on meanwhile), release branches forking off main with a
 * few fixes of their own, annotated and lightweight tags. Each commit changes one to three
 * files of a few thousand, spread over nested folders.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Size of the generated repository. */
export interface RepoShape {
  /** Commits in all (the generator stops at the first merge past this number). */
  readonly commits: number;
  /** Files in the first commit. */
  readonly files: number;
  /** Lines per file. */
  readonly lines: number;
  /** A release branch and a tag every this many topic merges. */
  readonly releaseEvery: number;
}

/**
 * The default shape, close to git's own repository in commits and refs: 80,000 commits,
 * 5,000 files, about 1,000 refs. `BENCH_COMMITS` and `BENCH_FILES` change it (a smaller
 * repository builds faster; the guide's approach then has less history to fetch).
 */
export const DEFAULT_SHAPE: RepoShape = {
  commits: Number(process.env.BENCH_COMMITS ?? 80000),
  files: Number(process.env.BENCH_FILES ?? 5000),
  lines: 80,
  releaseEvery: 30,
};

/** A built repository and what the benchmark needs to know about it. */
export interface BenchRepo {
  /** The bare repository (read-only: the benchmark copies it by hard links). */
  readonly dir: string;
  readonly commitCount: number;
  readonly refCount: number;
  readonly packBytes: number;
  readonly fileCount: number;
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

/** mulberry32: a small seeded PRNG, so every build writes the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega buffer cache index ' +
  'commit tree blob merge rebase branch tag object packfile delta window depth bitmap graph ' +
  'remote fetch push clone mirror server client token header request response stream chunk ' +
  'parse render value field record table column row query filter order limit offset count'
).split(' ');

/**
 * Writes the fast-import stream to `sink` (a function that may return a promise to wait
 * for drain) and returns the number of commits written.
 */
async function generate(shape: RepoShape, write: (s: string) => Promise<void>): Promise<{ commits: number }> {
  const rand = prng(20240611);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const line = () => {
    const n = 4 + Math.floor(rand() * 8);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) ws.push(pick(WORDS));
    return ws.join(' ');
  };
  // Paths: src/<a>/<b>/file<c>.txt, twenty files per folder.
  const paths: string[] = [];
  for (let i = 0; i < shape.files; i++) {
    paths.push(`src/m${Math.floor(i / 400)}/p${Math.floor(i / 20) % 20}/file${i % 20}.txt`);
  }
  const contents = new Map<string, string[]>();
  for (const p of paths) {
    contents.set(p, Array.from({ length: shape.lines }, line));
  }
  // Topics touch the first half of the files, direct commits on main the second half, so
  // a merge never has to reconcile both sides' edits of one file.
  const topicPaths = paths.slice(0, paths.length >> 1);
  const mainPaths = paths.slice(paths.length >> 1);

  let mark = 0;
  let time = 1_500_000_000;
  let commits = 0;
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const who = (n: number) => `Dev ${n % 37} <dev${n % 37}@example.test> ${time} +0000`;

  /** Emits a commit on `ref` and returns its mark. */
  const commit = async (ref: string, from: number | undefined, merges: number[], message: string, changed: Map<string, string[]>): Promise<number> => {
    const m = ++mark;
    time += 60 + Math.floor(rand() * 3600);
    let s = `commit ${ref}\nmark :${m}\nauthor ${who(m)}\ncommitter ${who(m + 1)}\n${data(message)}`;
    if (from !== undefined) s += `from :${from}\n`;
    for (const mm of merges) s += `merge :${mm}\n`;
    for (const [p, ls] of changed) s += `M 100644 inline ${p}\n${data(ls.join('\n') + '\n')}`;
    await write(s + '\n');
    commits++;
    return m;
  };

  /** Changes one to three files of `pool` in `state`; returns the changed ones. */
  const edit = (state: Map<string, string[]>, pool: readonly string[]): Map<string, string[]> => {
    const changed = new Map<string, string[]>();
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const p = pick(pool);
      const ls = [...(state.get(p) ?? contents.get(p)!)];
      const edits = 1 + Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * ls.length);
        if (rand() < 0.3) ls.splice(at, 0, line());
        else ls[at] = line();
      }
      if (ls.length > shape.lines * 2) ls.splice(0, shape.lines);
      state.set(p, ls);
      changed.set(p, ls);
    }
    return changed;
  };

  // The first commit holds every file.
  let main = await commit('refs/heads/main', undefined, [], 'initial import\n', contents);
  const refs: string[] = [];
  let topicNo = 0;
  let releaseNo = 0;
  let tagNo = 0;

  while (commits < shape.commits) {
    // A topic branch: forked from main, one to four commits, main moves on meanwhile.
    const fork = main;
    const topicState = new Map<string, string[]>();
    const topicName = `refs/heads/topic/t${++topicNo}`;
    let topic = fork;
    const topicLen = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < topicLen; i++) {
      topic = await commit(topicName, topic, [], `topic ${topicNo}: change ${i + 1}\n\n${line()}\n`, edit(topicState, topicPaths));
    }
    const direct = Math.floor(rand() * 4);
    for (let i = 0; i < direct; i++) {
      const changed = edit(contents, mainPaths);
      main = await commit('refs/heads/main', main, [], `${line()}\n`, changed);
    }
    for (const [p, ls] of topicState) contents.set(p, ls);
    main = await commit('refs/heads/main', main, [topic], `Merge branch 'topic/t${topicNo}'\n`, topicState);

    // Now and then a release: a branch off main with a few fixes, and tags.
    if (topicNo % shape.releaseEvery === 0) {
      const rel = `refs/heads/release/r${++releaseNo}`;
      const relState = new Map<string, string[]>();
      let r = main;
      const fixes = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < fixes; i++) {
        r = await commit(rel, r, [], `release ${releaseNo}: fix ${i + 1}\n`, edit(relState, mainPaths));
      }
      refs.push(rel);
      tagNo++;
      if (tagNo % 2 === 0) {
        await write(`tag v${tagNo}.0\nfrom :${r}\ntagger ${who(r)}\n${data(`release ${tagNo}.0\n`)}`);
      } else {
        await write(`reset refs/tags/v${tagNo}.0\nfrom :${r}\n\n`);
      }
    }
  }
  return { commits };
}

/** The cache folder of the benchmark. */
export function cacheDir(): string {
  return path.resolve(__dirname, '..', '.bench-cache');
}

/** Builds the repository (or takes it from the cache) and returns it. */
export async function benchRepo(shape: RepoShape = DEFAULT_SHAPE, log: (s: string) => void = () => undefined): Promise<BenchRepo> {
  const name = `repo-c${shape.commits}-f${shape.files}-l${shape.lines}-r${shape.releaseEvery}-v1.git`;
  const dir = path.join(cacheDir(), name);
  const infoFile = path.join(dir, 'bench-info.json');
  if (fs.existsSync(infoFile)) {
    return { dir, ...JSON.parse(fs.readFileSync(infoFile, 'utf8')) };
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
  const topics = git(tmp, ['for-each-ref', '--format=%(refname)', 'refs/heads/topic/'])
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
  const buildSeconds = (Date.now() - start) / 1000;
  const info = { commitCount, refCount, packBytes, fileCount };
  fs.writeFileSync(path.join(tmp, 'bench-info.json'), JSON.stringify(info));
  fs.renameSync(tmp, dir);
  log(`  built in ${buildSeconds.toFixed(0)} s`);
  return { dir, ...info, buildSeconds };
}
