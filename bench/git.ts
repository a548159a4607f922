/**
 * Mirror run benchmark: the mirror script against two baselines measured in the same run,
 * on large repositories served over smart HTTPS on loopback (`git http-backend` behind
 * Basic auth, as in the script tests), for the events a mirror sees. Two repositories of
 * about 80,000 commits each (see git-repo.ts): merge-dense, shaped like git's own
 * history, and merge-light. Each timed run starts from fresh server repositories (hard
 * links to the cached pack) and a fresh workspace, and is checked for the right outcome
 * before its time counts.
 *
 * - The guide's approach, reproduced: `git init --bare`, one remote per side, `ls-remote
 *   --exit-code` on the source, fetch the ref (its whole history) into a scratch ref,
 *   push, and on refusal push again with --force-with-lease on the old SHA; a ref gone
 *   from the source is deleted on the target when syncDelete is true.
 * - A warm mirror: a client that already holds the whole history (the target's, as it is
 *   before the event) and only fetches the ref and pushes it, with the guide's fallbacks.
 *   It is as fast as a run can be; the script starts from nothing every time.
 * - With `BENCH_BEFORE=<git revision>`, the mirror script of that revision too.
 *
 * Credentials reach every approach the same way (an http.extraHeader per URL in the
 * environment). The script's requests are counted on the server: all of them, and how
 * many were made one after the other (see sequentialRequests). `npm run bench -- latency`
 * puts a proxy in front of the server that delays each direction (see latency-proxy.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectionsOf, GitServer, ServedRequest, sequentialRequests, startGitServer } from '../test/helpers/git-server';
import { BenchRepo, DEFAULT_SHAPE, MERGE_DENSE_SHAPE, RepoShape, benchRepo } from './git-repo';
import { startLatencyProxy } from './latency-proxy';
import { median, table } from './stats';

const SCRIPT = path.resolve(__dirname, '..', 'src', 'scripts', 'mirror.sh');
const ZEROS = '0'.repeat(40);
const SETTLE_MS = 1500;

/** The guide's approach, credentials from the environment like the script's. */
const GUIDE = `set -u
git init --quiet --bare mirror.git && cd mirror.git || exit 1
git remote add source "$MIRROR_SOURCE_URL" || exit 1
git remote add target "$MIRROR_TARGET_URL" || exit 1
if git ls-remote --exit-code source "$MIRROR_REFERENCE" >/dev/null; then
  git fetch --quiet source "+$MIRROR_REFERENCE:refs/mirror/ref" || exit 1
  git push --quiet target "refs/mirror/ref:$MIRROR_REFERENCE" 2>/dev/null ||
    git push --quiet --force-with-lease="$MIRROR_REFERENCE:$MIRROR_REFERENCE_SHA_OLD" target "refs/mirror/ref:$MIRROR_REFERENCE" || exit 2
elif [ "$MIRROR_SYNC_DELETE" = true ]; then
  git push --quiet target ":$MIRROR_REFERENCE" || exit 2
fi
`;

/**
 * The warm mirror: run in a bare repository that holds the whole history with its refs
 * (set up before the clock starts, remotes included); fetches the ref, pushes it.
 */
const WARM = `set -u
cd "$MIRROR_WARM_DIR" || exit 1
if git fetch --quiet --no-tags source "+$MIRROR_REFERENCE:$MIRROR_REFERENCE" 2>/dev/null; then
  git push --quiet target "$MIRROR_REFERENCE:$MIRROR_REFERENCE" 2>/dev/null ||
    git push --quiet --force-with-lease="$MIRROR_REFERENCE:$MIRROR_REFERENCE_SHA_OLD" target "$MIRROR_REFERENCE:$MIRROR_REFERENCE" || exit 2
elif [ "$MIRROR_SYNC_DELETE" = true ]; then
  git push --quiet target ":$MIRROR_REFERENCE" || exit 2
fi
`;

/** One listing of one side: what an echo run cannot do without. */
const LS_REMOTE = `git ls-remote --heads -- "$MIRROR_SOURCE_URL" "$MIRROR_REFERENCE" >/dev/null`;

const GIT_ENV = {
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
  GIT_COMMITTER_DATE: '1800000000 +0000',
};

export function git(dir: string, args: readonly string[], input?: string): string {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', input, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

export function refValue(dir: string, ref: string): string | undefined {
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', ref]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A server repository holding the cached repository's objects (hard links to its pack,
 * bitmap and indexes) and refs, configured like a hosting server (partial clone allowed).
 */
export function repoFromCache(server: GitServer, repo: BenchRepo, name: string, token: string): string {
  const dir = server.createRepo(name, { [token]: name });
  const packDir = path.join(repo.dir, 'objects', 'pack');
  for (const f of fs.readdirSync(packDir)) {
    fs.linkSync(path.join(packDir, f), path.join(dir, 'objects', 'pack', f));
  }
  fs.copyFileSync(path.join(repo.dir, 'objects', 'info', 'commit-graph'), path.join(dir, 'objects', 'info', 'commit-graph'));
  fs.copyFileSync(path.join(repo.dir, 'packed-refs'), path.join(dir, 'packed-refs'));
  git(dir, ['config', 'uploadpack.allowFilter', 'true']);
  return dir;
}

let commitNo = 0;

/** The file the next commitOnTop changes. */
function nextFile(): string {
  return `src/m${commitNo % 5}/p${commitNo % 20}/file${commitNo % 20}.txt`;
}

/** Writes a commit on top of `parent` that changes one file, points `ref` at it, returns it. */
export function commitOnTop(dir: string, ref: string, parent: string): string {
  const file = nextFile();
  const old = git(dir, ['cat-file', 'blob', `${parent}:${file}`]);
  const content = `${old}\nbenchmark change ${++commitNo}\n`;
  const stamp = `${1_800_000_000 + commitNo} +0000`;
  const stream = [
    `commit ${ref}`,
    `author Bench <bench@example.test> ${stamp}`,
    `committer Bench <bench@example.test> ${stamp}`,
    `data <<EOM\nbenchmark commit ${commitNo}\nEOM`,
    `from ${parent}`,
    `M 100644 inline ${file}`,
    `data ${Buffer.byteLength(content)}\n${content}`,
    '',
  ].join('\n');
  git(dir, ['fast-import', '--quiet', '--force'], stream);
  return refValue(dir, ref)!;
}

/** One event: how the source changes, the run's inputs, what the target must hold after. */
interface BenchCase {
  readonly name: string;
  /** Changes the source (a copy of the target) and returns the inputs and the expected target value. */
  setup(source: string): { reference: string; old: string; syncDelete?: boolean; expect: string | undefined };
}

/** Merges on top of `ref` a topic of `length` commits forked at `fork`; returns the merge. */
export function topicMergedOnTop(dir: string, ref: string, fork: string, length: number): string {
  let topic = fork;
  const files: string[] = [];
  for (let i = 0; i < length; i++) {
    files.push(nextFile());
    topic = commitOnTop(dir, 'refs/heads/bench/topic', topic);
  }
  const stamp = `${1_800_000_000 + ++commitNo} +0000`;
  const stream = [
    `commit ${ref}`,
    `author Bench <bench@example.test> ${stamp}`,
    `committer Bench <bench@example.test> ${stamp}`,
    `data <<EOM\nMerge branch 'bench/topic'\nEOM`,
    `from ${refValue(dir, ref)!}`,
    `merge ${topic}`,
    ...files.map((f) => `M 100644 ${git(dir, ['rev-parse', `${topic}:${f}`])} ${f}`),
    '',
  ].join('\n');
  git(dir, ['fast-import', '--quiet', '--force'], stream);
  return refValue(dir, ref)!;
}

/** The release branches, newest first. */
function releases(src: string): string[] {
  return git(src, ['for-each-ref', '--sort=-committerdate', '--format=%(objectname)', 'refs/heads/release/']).split('\n');
}

const CASES: BenchCase[] = [
  {
    name: 'fast-forward (1 commit)',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/main')!;
      const tip = commitOnTop(src, 'refs/heads/main', old);
      return { reference: 'refs/heads/main', old, expect: tip };
    },
  },
  {
    name: 'fast-forward (merge of a 4-commit topic forked 300 commits back)',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/main')!;
      const tip = topicMergedOnTop(src, 'refs/heads/main', refValue(src, 'refs/heads/main~300')!, 4);
      return { reference: 'refs/heads/main', old, expect: tip };
    },
  },
  {
    name: 'echo (already equal)',
    setup: (src) => {
      const tip = refValue(src, 'refs/heads/main')!;
      return { reference: 'refs/heads/main', old: refValue(src, 'refs/heads/main~1')!, expect: tip };
    },
  },
  {
    name: 'new branch off main (1 commit)',
    setup: (src) => {
      const tip = commitOnTop(src, 'refs/heads/feature/bench', refValue(src, 'refs/heads/main')!);
      return { reference: 'refs/heads/feature/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'new branch forked 300 commits back (1 commit)',
    setup: (src) => {
      const tip = commitOnTop(src, 'refs/heads/feature/bench', refValue(src, 'refs/heads/main~300')!);
      return { reference: 'refs/heads/feature/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'new branch off the newest release branch (1 commit)',
    setup: (src) => {
      const tip = commitOnTop(src, 'refs/heads/hotfix/bench', releases(src)[0]);
      return { reference: 'refs/heads/hotfix/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'new branch off an old release branch (1 commit)',
    setup: (src) => {
      // The tenth newest release (or the oldest, if there are fewer).
      const all = releases(src);
      const tip = commitOnTop(src, 'refs/heads/hotfix/bench', all[Math.min(9, all.length - 1)]);
      return { reference: 'refs/heads/hotfix/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'force push (main~3 + 1 commit, old SHA given)',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/main')!;
      const tip = commitOnTop(src, 'refs/heads/main', refValue(src, 'refs/heads/main~3')!);
      return { reference: 'refs/heads/main', old, expect: tip };
    },
  },
  {
    name: 'tag create (annotated, on main~10)',
    setup: (src) => {
      git(src, ['tag', '-a', '-m', 'bench tag', 'bench-v1', refValue(src, 'refs/heads/main~10')!]);
      return { reference: 'refs/tags/bench-v1', old: ZEROS, expect: refValue(src, 'refs/tags/bench-v1') };
    },
  },
  {
    name: 'delete (syncDelete, old SHA given)',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/release/r1')!;
      git(src, ['update-ref', '-d', 'refs/heads/release/r1', old]);
      return { reference: 'refs/heads/release/r1', old, syncDelete: true, expect: undefined };
    },
  },
];

/** A way of mirroring the event, timed. */
interface Approach {
  readonly name: 'guide' | 'warm' | 'script' | 'before' | 'ls-remote';
  readonly command: string[];
}

const GUIDE_APPROACH: Approach = { name: 'guide', command: ['sh', '-c', GUIDE] };
const WARM_APPROACH: Approach = { name: 'warm', command: ['sh', '-c', WARM] };
const SCRIPT_APPROACH: Approach = { name: 'script', command: ['sh', SCRIPT] };
const LS_REMOTE_APPROACH: Approach = { name: 'ls-remote', command: ['sh', '-c', LS_REMOTE] };

/** The mirror script of revision BENCH_BEFORE (or the script file it names), to compare with. */
function beforeApproach(): Approach | undefined {
  const rev = process.env.BENCH_BEFORE;
  if (!rev) return undefined;
  if (fs.existsSync(rev)) return { name: 'before', command: ['sh', path.resolve(rev)] };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-before-')), 'mirror.sh');
  fs.writeFileSync(file, execFileSync('git', ['show', `${rev}:src/scripts/mirror.sh`], { cwd: path.resolve(__dirname, '..') }));
  return { name: 'before', command: ['sh', file] };
}

/** Runs one command; resolves with its exit code, output and wall time in seconds. */
function timed(command: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ code: code ?? 1, output: Buffer.concat(out).toString('utf8'), seconds });
    });
  });
}

/** A bare repository holding the cached repository's objects and refs: the warm mirror's client. */
function warmClient(repo: BenchRepo, dir: string, urls: { source: string; target: string }): string {
  execFileSync('git', ['init', '--quiet', '--bare', dir], { env: GIT_ENV });
  const packDir = path.join(repo.dir, 'objects', 'pack');
  for (const f of fs.readdirSync(packDir)) {
    fs.linkSync(path.join(packDir, f), path.join(dir, 'objects', 'pack', f));
  }
  fs.copyFileSync(path.join(repo.dir, 'objects', 'info', 'commit-graph'), path.join(dir, 'objects', 'info', 'commit-graph'));
  fs.copyFileSync(path.join(repo.dir, 'packed-refs'), path.join(dir, 'packed-refs'));
  git(dir, ['remote', 'add', 'source', urls.source]);
  git(dir, ['remote', 'add', 'target', urls.target]);
  git(dir, ['config', 'gc.auto', '0']);
  return dir;
}

let repoNo = 0;

/** What one timed run gave. */
interface RunResult {
  readonly seconds: number;
  /** The requests the server answered during the run. */
  readonly requests: ServedRequest[];
}

/**
 * One timed run of `approach` on a fresh pair of repositories, reached at `baseUrl`
 * (the server's, or a proxy's in front of it).
 */
async function runOnce(server: GitServer, baseUrl: string, repo: BenchRepo, c: BenchCase, approach: Approach): Promise<RunResult> {
  const n = ++repoNo;
  const [sourceToken, targetToken] = [`bench-source-${n}`, `bench-target-${n}`];
  const source = repoFromCache(server, repo, `s${n}`, sourceToken);
  const target = repoFromCache(server, repo, `t${n}`, targetToken);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mirror-'));
  const urls = { source: `${baseUrl}/s${n}.git`, target: `${baseUrl}/t${n}.git` };
  try {
    const inputs = c.setup(source);
    const basic = (token: string) => `Authorization: Basic ${Buffer.from(`git:${token}`).toString('base64')}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      TMPDIR: work,
      LC_ALL: 'C',
      GIT_SSL_CAINFO: server.caFile,
      GIT_SSL_CAPATH: server.emptyCaPath,
      MIRROR_SOURCE_URL: urls.source,
      MIRROR_TARGET_URL: urls.target,
      MIRROR_SOURCE_TOKEN: sourceToken,
      MIRROR_TARGET_TOKEN: targetToken,
      MIRROR_REFERENCE: inputs.reference,
      MIRROR_REFERENCE_SHA_OLD: inputs.old,
      MIRROR_SYNC_DELETE: String(inputs.syncDelete ?? false),
      MIRROR_RETRY_DELAY: '0',
    };
    if (approach.name !== 'script' && approach.name !== 'before') {
      Object.assign(env, {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: `http.${urls.source}.extraHeader`,
        GIT_CONFIG_VALUE_0: basic(sourceToken),
        GIT_CONFIG_KEY_1: `http.${urls.target}.extraHeader`,
        GIT_CONFIG_VALUE_1: basic(targetToken),
        GIT_CONFIG_KEY_2: 'credential.helper',
        GIT_CONFIG_VALUE_2: '',
      });
    }
    if (approach.name === 'warm') {
      env.MIRROR_WARM_DIR = warmClient(repo, path.join(work, 'warm.git'), urls);
    }
    // Let the previous run's aftermath (disk writeback, the server's garbage) settle first.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const served = server.requests.length;
    const r = await timed(approach.command, env, work);
    const requests = server.requests.slice(served);
    if (process.env.BENCH_SHOW_OUTPUT === '1' && (approach.name === 'script' || approach.name === 'before')) {
      console.error(`--- ${approach.name} on '${c.name}' (${r.seconds.toFixed(2)} s):\n${r.output}requests by connection: ${connectionsOf(requests).join(', ')}`);
    }
    const got = refValue(target, inputs.reference);
    const expected = approach.name === 'ls-remote' ? refValue(target, inputs.reference) : inputs.expect;
    if (r.code !== 0 || got !== expected) {
      throw new Error(`${approach.name} on '${c.name}': exit ${r.code}, target ${inputs.reference} = ${got}, expected ${expected}\n${r.output}`);
    }
    return { seconds: r.seconds, requests };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(source, { recursive: true, force: true });
    fs.rmSync(target, { recursive: true, force: true });
  }
}

/** The repositories to benchmark (BENCH_REPOS=dense,light picks), merge-dense first. */
function shapes(): Array<{ label: string; shape: RepoShape }> {
  const all = [
    { label: 'merge-dense', shape: MERGE_DENSE_SHAPE },
    { label: 'merge-light', shape: DEFAULT_SHAPE },
  ];
  const only = process.env.BENCH_REPOS?.split(',');
  return all.filter((r) => !only || only.some((o) => r.label.includes(o)));
}

/** The cases to run (BENCH_CASES=fast,echo picks the cases whose names start so). */
function cases(among: readonly BenchCase[] = CASES): BenchCase[] {
  const only = process.env.BENCH_CASES?.split(',');
  return among.filter((k) => !only || only.some((o) => k.name.startsWith(o)));
}

const s2 = (x: number) => x.toFixed(2);

/** A line describing a repository and its measured shape. */
function describe(label: string, repo: BenchRepo): string {
  const t = repo.topography;
  return (
    `${label}: ${repo.commitCount} commits, ${t.firstParent} on main's first-parent chain, ${t.merges} merges, ` +
    `${t.firstParentMerges} of them on that chain (${(100 * t.mergeShare).toFixed(0)}% of it); merged branches forked ` +
    `${t.forkBack.median} first-parent commits back (median; 90th percentile ${t.forkBack.p90}, most ${t.forkBack.max}) ` +
    `with ${t.branchLength.median} commits (median; most ${t.branchLength.max}); ${repo.fileCount} files, ${repo.refCount} refs, ` +
    `${(repo.packBytes / 1e6).toFixed(0)} MB packed` +
    (repo.buildSeconds !== undefined ? ` (built in ${repo.buildSeconds.toFixed(0)} s)` : '')
  );
}

/** Timed runs of every approach on every case; prints one table per repository. */
async function compare(
  title: string,
  runs: number,
  approaches: readonly Approach[],
  caseList: readonly BenchCase[],
  baseUrl: (server: GitServer) => string,
  log: (s: string) => void,
  server: GitServer,
): Promise<void> {
  for (const { label, shape } of shapes()) {
    const repo = await benchRepo(shape, log);
    log(`\n${title}, ${describe(label, repo)}; ${os.cpus().length} cores; median of ${runs} runs; load ${os.loadavg().map(s2).join(' ')}`);
    // Warm-up: page cache, TLS, the server's first spawns.
    for (const a of approaches) {
      await runOnce(server, baseUrl(server), repo, caseList[0], a);
    }
    const rows: string[][] = [];
    let lsRemote: number | undefined;
    for (const c of caseList) {
      const samples = new Map<Approach['name'], RunResult[]>();
      for (let i = 0; i < runs; i++) {
        for (const a of approaches) {
          samples.set(a.name, [...(samples.get(a.name) ?? []), await runOnce(server, baseUrl(server), repo, c, a)]);
        }
        if (c.name.startsWith('echo')) {
          samples.set('ls-remote', [...(samples.get('ls-remote') ?? []), await runOnce(server, baseUrl(server), repo, c, LS_REMOTE_APPROACH)]);
        }
      }
      const time = (name: Approach['name']) => (samples.has(name) ? median(samples.get(name)!.map((r) => r.seconds)) : undefined);
      const [g, w, o, b] = [time('guide'), time('warm'), time('script'), time('before')];
      if (c.name.startsWith('echo')) lsRemote = time('ls-remote');
      const ours = samples.get('script')!;
      const requests = `${median(ours.map((r) => r.requests.length))} (${median(ours.map((r) => sequentialRequests(r.requests)))})`;
      rows.push([
        c.name,
        g !== undefined ? s2(g) : '-',
        w !== undefined ? s2(w) : '-',
        ...(b !== undefined ? [s2(b)] : []),
        s2(o!),
        g !== undefined ? `${(g / o!).toFixed(1)}x` : '-',
        w !== undefined ? `${(o! / w).toFixed(1)}x` : '-',
        requests,
      ]);
      log(`  ${c.name}: ${[...samples.keys()].map((k) => `${k} ${s2(time(k)!)} s`).join(', ')}; ours made ${requests} requests; load ${os.loadavg().map(s2).join(' ')}`);
    }
    const hasBefore = approaches.some((a) => a.name === 'before');
    log('');
    log(`${label}:`);
    log(
      table(
        ['event', "guide's approach (s)", 'warm mirror (s)', ...(hasBefore ? ['script before (s)'] : []), 'mirror script (s)', 'guide / script', 'script / warm', 'requests (one after the other)'],
        rows,
      ),
    );
    if (lsRemote !== undefined) {
      const echo = rows.find((r) => r[0].startsWith('echo'))!;
      log(`single ls-remote of one side: ${s2(lsRemote)} s; the echo run takes ${(Number(echo[hasBefore ? 4 : 3]) / lsRemote).toFixed(2)}x of it`);
    }
    log(`load average after ${label}: ${os.loadavg().map(s2).join(' ')}`);
  }
}

/** Runs the mirror benchmark on both repositories and prints their tables. */
export async function benchGit(runs: number, log: (s: string) => void = console.log): Promise<void> {
  const server = await startGitServer();
  try {
    const before = beforeApproach();
    const only = process.env.BENCH_APPROACHES?.split(',');
    const approaches = [GUIDE_APPROACH, WARM_APPROACH, ...(before ? [before] : []), SCRIPT_APPROACH].filter(
      (a) => a.name === 'script' || !only || only.includes(a.name),
    );
    await compare('Mirror runs over HTTPS on loopback', runs, approaches, cases(), (s) => s.baseUrl, log, server);
  } finally {
    await server.close();
  }
}

/**
 * Runs the fast-forward and the echo with a proxy in front of the server that delays
 * each direction by BENCH_LATENCY_MS (default 25) milliseconds.
 */
export async function benchLatency(runs: number, log: (s: string) => void = console.log): Promise<void> {
  const delay = Number(process.env.BENCH_LATENCY_MS ?? 25);
  const server = await startGitServer();
  const port = Number(new URL(server.baseUrl).port);
  const proxy = await startLatencyProxy(port, delay);
  try {
    const latencyCases = cases(CASES.filter((c) => c.name.startsWith('fast-forward (1') || c.name.startsWith('echo')));
    await compare(`Mirror runs through a proxy adding ${delay} ms each way`, runs, [GUIDE_APPROACH, WARM_APPROACH, SCRIPT_APPROACH], latencyCases, () => `https://127.0.0.1:${proxy.port}`, log, server);
  } finally {
    await proxy.close();
    await server.close();
  }
}
