/**
 * Runs a Harness Run step the way Harness would: every `<+...>` expression in the command
 * and in the environment variables is replaced by its value first (plain text
 * substitution, which is what makes expressions inside command text dangerous), then the
 * command runs in the step's shell with the resolved environment.
 *
 * Each run gets its own working directory, HOME and TMPDIR, so a test can afterwards scan
 * every file the run left behind. Optionally every `git` invocation's arguments are
 * logged (through a wrapper placed first on PATH), and the command lines of all processes
 * on the machine are sampled while the step runs.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HarnessContext, resolveExpressions } from './harness-expressions';
import { RunStepSpec } from './example-step';

/** How to run a step. */
export interface RunStepOptions {
  /** The shell binary; by default the one the step declares (`Sh` -> `sh`, `Bash` -> `bash`). */
  readonly shellBinary?: string;
  /** Extra environment (e.g. `GIT_SSL_CAINFO`), applied before the step's own variables. */
  readonly extraEnv?: Record<string, string>;
  /** Text a runner puts in front of the command, e.g. `set -xe\n`. */
  readonly prefix?: string;
  /** Log every `git` invocation's arguments (see `RunStepResult.gitCalls`). */
  readonly traceGit?: boolean;
  /**
   * Copy whatever the step deletes with `rm` before it is deleted (through an `rm` wrapper
   * first on PATH), so a test can scan files that existed only during the run.
   */
  readonly snapshotRemoved?: boolean;
  /** Sample `/proc/<pid>/cmdline` of every process while the step runs. */
  readonly watchProcesses?: boolean;
  /** Kill the step after this many milliseconds. @default 60000 */
  readonly timeoutMs?: number;
}

/** What a step run produced. */
export interface RunStepResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last non-empty line of stdout (the mirror script's summary). */
  readonly lastLine: string;
  /** The command text after expression resolution. */
  readonly resolvedCommand: string;
  /** The environment variables after expression resolution. */
  readonly resolvedEnv: Record<string, string>;
  /** Working directory, HOME and TMPDIR of the run (kept until `cleanup`). */
  readonly dirs: { readonly cwd: string; readonly home: string; readonly tmp: string };
  /** Every folder the run owns, snapshots of removed files and logs included. */
  readonly root: string;
  /** Arguments of each `git` call, when `traceGit` was set. */
  readonly gitCalls: string[][];
  /** Distinct process command lines seen, when `watchProcesses` was set. */
  readonly processCommandLines: string[];
  /** Removes the run's directories. */
  cleanup(): void;
}

const REAL_GIT = findOnPath('git');
const REAL_RM = findOnPath('rm');

/** Resolves the step's expressions against `ctx` and runs it. */
export async function runStep(step: RunStepSpec, ctx: HarnessContext, options: RunStepOptions = {}): Promise<RunStepResult> {
  const resolvedCommand = resolveExpressions(step.command, ctx);
  const resolvedEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.envVariables)) {
    resolvedEnv[name] = resolveExpressions(value, ctx);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-step-'));
  const dirs = { cwd: path.join(root, 'work'), home: path.join(root, 'home'), tmp: path.join(root, 'tmp') };
  for (const d of Object.values(dirs)) {
    fs.mkdirSync(d);
  }
  let pathValue = process.env.PATH ?? '/usr/bin:/bin';
  const gitLog = path.join(root, 'git-calls.log');
  const bin = path.join(root, 'bin');
  if (options.traceGit || options.snapshotRemoved) {
    fs.mkdirSync(bin);
    pathValue = `${bin}:${pathValue}`;
  }
  if (options.snapshotRemoved) {
    const removed = path.join(root, 'removed');
    fs.mkdirSync(removed);
    fs.writeFileSync(
      path.join(bin, 'rm'),
      `#!/bin/sh
for a in "$@"; do
  case $a in -*) continue ;; esac
  if [ -e "$a" ]; then d=$(mktemp -d '${removed}/rm.XXXXXX') && cp -R "$a" "$d/"; fi
done
exec '${REAL_RM}' "$@"
`,
      { mode: 0o755 },
    );
  }
  if (options.traceGit) {
    // One line per call: the arguments, NUL-separated, then a newline; written whole in
    // one append, so that git commands running at the same time do not mix their lines.
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nline=$(mktemp '${root}/git-call.XXXXXX')\n{ for a in "$@"; do printf '%s\\000' "$a"; done; printf '\\n'; } > "$line"\ncat "$line" >> '${gitLog}'\n'${REAL_RM}' -f "$line"\nexec '${REAL_GIT}' "$@"\n`,
      { mode: 0o755 },
    );
  }
  const env: Record<string, string> = {
    PATH: pathValue,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    LANG: 'C.UTF-8',
    ...(options.extraEnv ?? {}),
    ...resolvedEnv,
  };
  const shell = options.shellBinary ?? shellFor(step.shell);
  const watcher = options.watchProcesses ? new ProcessWatcher() : undefined;
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(shell, ['-c', (options.prefix ?? '') + resolvedCommand], { cwd: dirs.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        code: status ?? (signal ? 128 : 255),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
  const processCommandLines = watcher ? watcher.stop() : [];
  const gitCalls = options.traceGit && fs.existsSync(gitLog)
    ? fs.readFileSync(gitLog, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split('\0').slice(0, -1))
    : [];
  const lines = stdout.split('\n').filter((l) => l.trim().length > 0);
  return {
    code,
    stdout,
    stderr,
    lastLine: lines.length > 0 ? lines[lines.length - 1] : '',
    resolvedCommand,
    resolvedEnv,
    dirs,
    root,
    gitCalls,
    processCommandLines,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The binary Harness runs a step's command with, by `spec.shell`. */
export function shellFor(shell: string): string {
  switch (shell) {
    case 'Sh':
      return 'sh';
    case 'Bash':
      return 'bash';
    default:
      throw new Error(`unsupported step shell: ${shell}`);
  }
}

/** Every regular file under `dirs` whose content contains one of `needles`, with the needle found. */
export function filesContaining(dirs: readonly string[], needles: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) {
        visit(path.join(p, e));
      }
    } else if (st.isFile()) {
      const content = fs.readFileSync(p);
      for (const n of needles) {
        if (content.includes(n)) {
          found.push(`${p}: ${n}`);
        }
      }
    }
  };
  dirs.forEach(visit);
  return found;
}

/** Samples the command lines of all processes every few milliseconds until stopped. */
class ProcessWatcher {
  private readonly seen = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 5);
  }

  public stop(): string[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.seen];
  }

  private sample(): void {
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return;
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) {
        continue;
      }
      try {
        const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
        if (cmd.length > 0) {
          this.seen.add(cmd.replace(/\0/g, ' ').trim());
        }
      } catch {
        // the process ended
      }
    }
  }
}

function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not found on PATH`);
}
