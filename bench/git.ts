/**
 * Mirror run benchmark: the guide's approach and the mirror script, on the same large
 * repository served over smart HTTPS on loopback (`git http-backend` behind Basic auth, as
 * in the script tests), for the events a mirror sees. Each timed run starts from fresh
 * server repositories (hard links to the cached pack) and a fresh workspace, and is
 * checked for the right outcome before its time counts.
 *
 * The guide's approach, reproduced: `git init --bare`, one remote per side, `ls-remote
 * --exit-code` on the source, fetch the ref (its whole history) into a scratch ref, push,
 * and on refusal push again with --force-with-lease on the old SHA; a ref gone from the
 * source is deleted on the target when syncDelete is true. Credentials reach both
 * approaches the same way (an http.extraHeader per URL in the environment), so both pay
 * the same authentication cost.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitServer, startGitServer } from '../test/helpers/git-server';
import { BenchRepo, benchRepo } from './git-repo';
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

/** Writes a commit on top of `parent` that changes one file, points `ref` at it, returns it. */
export function commitOnTop(dir: string, ref: string, parent: string): string {
  const file = `src/m${commitNo % 5}/p${commitNo % 20}/file${commitNo % 20}.txt`;
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
  readonly goal: string;
  /** Changes the source (a copy of the target) and returns the inputs and the expected target value. */
  setup(source: string): { reference: string; old: string; syncDelete?: boolean; expect: string | undefined };
}

const CASES: BenchCase[] = [
  {
    name: 'fast-forward (1 commit)',
    goal: '<= 0.5 s, >= 40x',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/main')!;
      const tip = commitOnTop(src, 'refs/heads/main', old);
      return { reference: 'refs/heads/main', old, expect: tip };
    },
  },
  {
    name: 'echo (already equal)',
    goal: '<= 0.2 s, no transfer',
    setup: (src) => {
      const tip = refValue(src, 'refs/heads/main')!;
      return { reference: 'refs/heads/main', old: refValue(src, 'refs/heads/main~1')!, expect: tip };
    },
  },
  {
    name: 'new branch off main (1 commit)',
    goal: '<= 1 s',
    setup: (src) => {
      const tip = commitOnTop(src, 'refs/heads/feature/bench', refValue(src, 'refs/heads/main')!);
      return { reference: 'refs/heads/feature/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'new branch off the newest release branch (1 commit)',
    goal: '<= 1 s',
    setup: (src) => {
      const newest = git(src, ['for-each-ref', '--count=1', '--sort=-committerdate', '--format=%(objectname)', 'refs/heads/release/']);
      const tip = commitOnTop(src, 'refs/heads/hotfix/bench', newest);
      return { reference: 'refs/heads/hotfix/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'new branch off an old release branch (1 commit)',
    goal: '<= 1 s',
    setup: (src) => {
      // The tenth newest release: forked from main some 1,400 commits before its tip.
      const old = git(src, ['for-each-ref', '--count=10', '--sort=-committerdate', '--format=%(objectname)', 'refs/heads/release/']).split('\n')[9];
      const tip = commitOnTop(src, 'refs/heads/hotfix/bench', old);
      return { reference: 'refs/heads/hotfix/bench', old: ZEROS, expect: tip };
    },
  },
  {
    name: 'force push (main~3 + 1 commit, old SHA given)',
    goal: '<= baseline',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/main')!;
      const tip = commitOnTop(src, 'refs/heads/main', refValue(src, 'refs/heads/main~3')!);
      return { reference: 'refs/heads/main', old, expect: tip };
    },
  },
  {
    name: 'tag create (annotated, on main~10)',
    goal: '<= baseline',
    setup: (src) => {
      git(src, ['tag', '-a', '-m', 'bench tag', 'bench-v1', refValue(src, 'refs/heads/main~10')!]);
      return { reference: 'refs/tags/bench-v1', old: ZEROS, expect: refValue(src, 'refs/tags/bench-v1') };
    },
  },
  {
    name: 'delete (syncDelete, old SHA given)',
    goal: '<= baseline',
    setup: (src) => {
      const old = refValue(src, 'refs/heads/release/r1')!;
      git(src, ['update-ref', '-d', 'refs/heads/release/r1', old]);
      return { reference: 'refs/heads/release/r1', old, syncDelete: true, expect: undefined };
    },
  },
];

interface Approach {
  readonly name: 'guide' | 'script';
  readonly command: string[];
}

const APPROACHES: Approach[] = [
  { name: 'guide', command: ['sh', '-c', GUIDE] },
  { name: 'script', command: ['sh', SCRIPT] },
];

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

let repoNo = 0;

/** One timed run of `approach` on a fresh pair of repositories. */
async function runOnce(server: GitServer, repo: BenchRepo, c: BenchCase, approach: Approach): Promise<{ seconds: number; output: string }> {
  const n = ++repoNo;
  const [sourceToken, targetToken] = [`bench-source-${n}`, `bench-target-${n}`];
  const source = repoFromCache(server, repo, `s${n}`, sourceToken);
  const target = repoFromCache(server, repo, `t${n}`, targetToken);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mirror-'));
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
      MIRROR_SOURCE_URL: server.url(`s${n}`),
      MIRROR_TARGET_URL: server.url(`t${n}`),
      MIRROR_SOURCE_TOKEN: sourceToken,
      MIRROR_TARGET_TOKEN: targetToken,
      MIRROR_REFERENCE: inputs.reference,
      MIRROR_REFERENCE_SHA_OLD: inputs.old,
      MIRROR_SYNC_DELETE: String(inputs.syncDelete ?? false),
      MIRROR_RETRY_DELAY: '0',
    };
    if (approach.name === 'guide') {
      Object.assign(env, {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: `http.${server.url(`s${n}`)}.extraHeader`,
        GIT_CONFIG_VALUE_0: basic(sourceToken),
        GIT_CONFIG_KEY_1: `http.${server.url(`t${n}`)}.extraHeader`,
        GIT_CONFIG_VALUE_1: basic(targetToken),
        GIT_CONFIG_KEY_2: 'credential.helper',
        GIT_CONFIG_VALUE_2: '',
      });
    }
    // Let the previous run's aftermath (disk writeback, the server's garbage) settle first.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const r = await timed(approach.command, env, work);
    const got = refValue(target, inputs.reference);
    if (r.code !== 0 || got !== inputs.expect) {
      throw new Error(`${approach.name} on '${c.name}': exit ${r.code}, target ${inputs.reference} = ${got}, expected ${inputs.expect}\n${r.output}`);
    }
    return { seconds: r.seconds, output: r.output };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(source, { recursive: true, force: true });
    fs.rmSync(target, { recursive: true, force: true });
  }
}

/** Runs the mirror benchmark and prints its table. */
export async function benchGit(runs: number, log: (s: string) => void = console.log): Promise<void> {
  const repo = await benchRepo(undefined, log);
  const server = await startGitServer();
  try {
    log(
      `\nMirror runs over HTTPS on loopback: a repository of ${repo.commitCount} commits, ${repo.fileCount} files, ` +
        `${repo.refCount} refs, ${(repo.packBytes / 1e6).toFixed(0)} MB packed; ${os.cpus().length} cores; median of ${runs} runs` +
        (repo.buildSeconds !== undefined ? ` (repository built in ${repo.buildSeconds.toFixed(0)} s)` : ''),
    );
    // Warm-up: page cache, TLS, the server's first spawns.
    await runOnce(server, repo, CASES[0], APPROACHES[0]);
    await runOnce(server, repo, CASES[0], APPROACHES[1]);
    const rows: string[][] = [];
    const only = process.env.BENCH_CASES?.split(',');
    for (const c of CASES.filter((k) => !only || only.some((o) => k.name.startsWith(o)))) {
      const samples: Record<Approach['name'], number[]> = { guide: [], script: [] };
      for (let i = 0; i < runs; i++) {
        for (const a of APPROACHES) {
          samples[a.name].push((await runOnce(server, repo, c, a)).seconds);
        }
      }
      const g = median(samples.guide);
      const s = median(samples.script);
      rows.push([c.name, g.toFixed(2), s.toFixed(2), `${(g / s).toFixed(1)}x`, c.goal]);
      log(`  ${c.name}: guide ${g.toFixed(2)} s, script ${s.toFixed(2)} s`);
    }
    log('');
    log(table(['event', "guide's approach (s)", 'mirror script (s)', 'speed-up', 'goal'], rows));
  } finally {
    await server.close();
  }
}
