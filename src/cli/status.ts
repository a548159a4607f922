/**
 * `cdktf-harness-mirror status`: for every direction of a synthesized app, runs the mirror
 * script's dry run of mode reconcile (the logic of the scheduled reconcile itself, changing
 * nothing) with the direction's inputs, and collects each matching ref's state.
 */
import { spawn } from 'node:child_process';
import { MIRROR_EXIT_CODES } from '../model/exit-codes';
import { parseStatusLine, RefStatus, STATUS_EXIT_CODES } from '../model/status';
import { RECONCILE_REFERENCE } from '../model/trigger';
import { PIPELINE_VARIABLES, PipelineVariableName, SCRIPT_ONLY_INPUTS } from '../model/variables';
import { mirrorScript, mirrorScriptPath } from '../private/script';
import { Credential, credentialFor } from './credentials';
import { DirectionSpec, readSynthesizedMirrors } from './stacks';

/** How many directions are checked at the same time. */
const CONCURRENCY = 4;
/** From how many directions on, progress goes to stderr. */
const PROGRESS_FROM = 5;
/** How long one direction's dry run may take. */
const DIRECTION_TIMEOUT_MS = 15 * 60_000;

/** One direction's outcome. */
export interface DirectionReport {
  /** The direction as synthesized. */
  readonly spec: DirectionSpec;
  /** The pair's name in the report: its identifier, qualified with stack and pipeline when another pair has the same. */
  readonly pair: string;
  /** Every matching ref, by name. */
  readonly refs: readonly RefStatus[];
  /** The script's lines about refs skipped for their name (no status line can show them). */
  readonly skipped: readonly string[];
  /** Why the direction could not be checked, one line per failing side. */
  readonly errors: readonly string[];
}

/** Whether a checked direction differs: a ref not in sync, or a skipped one. */
export function differs(report: DirectionReport): boolean {
  return report.refs.some((r) => r.state !== 'in-sync') || report.skipped.length > 0;
}

/** Options of {@link runStatus}. */
export interface StatusOptions {
  /** cdktf's output folder. */
  readonly out: string;
  /** Only this stack. */
  readonly stack?: string;
  /** The environment: `MIRROR_SECRET_*` tokens, `PATH`, `TMPDIR`, TLS and proxy settings for git. */
  readonly env: NodeJS.ProcessEnv;
  /** Where progress and notes go. */
  readonly progress: (line: string) => void;
}

/** What {@link runStatus} found. */
export interface StatusResult {
  /** Every direction, in stack, pipeline, pair, direction order. */
  readonly reports: readonly DirectionReport[];
  /** The exit code: in sync, out of sync, or an error. */
  readonly exitCode: number;
}

/** Checks every direction of the synthesized app. */
export async function runStatus(options: StatusOptions): Promise<StatusResult> {
  const mirrors = readSynthesizedMirrors(options.out, options.stack);
  for (const u of mirrors.uncheckable) {
    options.progress(`note: stack ${u.stack}, input set ${u.inputSet}: not checked: ${u.problem}`);
  }
  const script = mirrorScript();
  const stale = [...new Set(mirrors.directions.map((d) => `${d.stack}/${d.pipeline}`))].filter((key) => {
    const embedded = mirrors.pipelineScripts.get(key);
    return embedded !== undefined && embedded !== script;
  });
  for (const key of stale) {
    options.progress(`note: pipeline ${key} embeds another version of the mirror script than this package; the report follows this package's. Synthesize and deploy again.`);
  }

  const names = pairNames(mirrors.directions);
  const reports: DirectionReport[] = new Array(mirrors.directions.length);
  const total = mirrors.directions.length;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const spec = mirrors.directions[i];
      reports[i] = { spec, pair: names[i], ...(await checkDirection(spec, options.env)) };
      done++;
      if (total >= PROGRESS_FROM) {
        options.progress(`status: ${done} of ${total} checked: ${names[i]} ${spec.direction}: ${summary(reports[i])}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));

  const failed = reports.some((r) => r.errors.length > 0) || mirrors.uncheckable.length > 0;
  const exitCode = failed ? STATUS_EXIT_CODES.ERROR : reports.some(differs) ? STATUS_EXIT_CODES.OUT_OF_SYNC : STATUS_EXIT_CODES.IN_SYNC;
  return { reports, exitCode };
}

/** A direction's outcome in a few words. */
function summary(report: DirectionReport): string {
  if (report.errors.length > 0) {
    return 'failed';
  }
  const n = report.refs.filter((r) => r.state !== 'in-sync').length + report.skipped.length;
  return n === 0 ? `in sync (${report.refs.length} refs)` : `${n} of ${report.refs.length + report.skipped.length} refs differ`;
}

/** The pairs' names: the identifier, or `<stack>/<pipeline>/<identifier>` where two pairs share one. */
function pairNames(directions: readonly DirectionSpec[]): string[] {
  const owners = new Map<string, Set<string>>();
  for (const d of directions) {
    owners.set(d.pair, (owners.get(d.pair) ?? new Set()).add(`${d.stack}/${d.pipeline}`));
  }
  return directions.map((d) => ((owners.get(d.pair)?.size ?? 0) > 1 ? `${d.stack}/${d.pipeline}/${d.pair}` : d.pair));
}

/** The environment the script runs in: the caller's, without any `MIRROR_` variable but the retry settings. */
function baseEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = new Set<string>([SCRIPT_ONLY_INPUTS.RETRY_ATTEMPTS.env, SCRIPT_ONLY_INPUTS.RETRY_DELAY.env]);
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (!k.startsWith('MIRROR_') || keep.has(k))) {
      base[k] = v;
    }
  }
  return base;
}

/** Runs one direction's dry run. */
async function checkDirection(spec: DirectionSpec, env: NodeJS.ProcessEnv): Promise<Omit<DirectionReport, 'spec' | 'pair'>> {
  const credentials: Partial<Record<'source' | 'target', Credential>> = {};
  const errors: string[] = [];
  for (const side of ['source', 'target'] as const) {
    try {
      credentials[side] = await credentialFor(spec[side].url, spec[side].secret, spec[side].username, env);
    } catch (e) {
      errors.push(`${side} ${spec[side].url}: ${(e as Error).message}`);
    }
  }
  const { source, target } = credentials;
  if (!source || !target) {
    return { refs: [], skipped: [], errors };
  }
  const values: Record<PipelineVariableName, string> = {
    sourceToken: source.token,
    sourceURL: spec.source.url,
    targetToken: target.token,
    targetURL: spec.target.url,
    reference: RECONCILE_REFERENCE,
    referenceShaOld: '',
    syncDelete: String(spec.syncDelete),
    refFilters: spec.refFilters,
    mode: 'reconcile',
    sourceUsername: source.username,
    targetUsername: target.username,
    twoWay: String(spec.twoWay),
    // A dry run pushes nothing.
    maxRefsPerPush: '',
  };
  const scriptEnv = baseEnvironment(env);
  for (const v of PIPELINE_VARIABLES) {
    scriptEnv[v.env] = values[v.name];
  }
  scriptEnv[SCRIPT_ONLY_INPUTS.DRY_RUN.env] = 'true';

  const run = await runScript(scriptEnv);
  const lines = run.stdout.split('\n');
  const refs = lines.flatMap((l) => parseStatusLine(l) ?? []).sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const skipped = lines.filter((l) => l.startsWith('mirror: conflict: ')).map((l) => l.slice('mirror: '.length));
  if (run.code === MIRROR_EXIT_CODES.OK.code || run.code === MIRROR_EXIT_CODES.OUT_OF_SYNC.code) {
    return { refs, skipped, errors: [] };
  }
  return { refs: [], skipped: [], errors: [failureLine(run, { source, target })] };
}

/** One line for a failed dry run: the failing side, its URL and why, from the script's failure line. */
function failureLine(run: { code: number; stdout: string; stderr: string; timedOut: boolean }, credentials: Record<'source' | 'target', Credential>): string {
  if (run.timedOut) {
    return `the check took longer than ${DIRECTION_TIMEOUT_MS / 60_000} minutes and was stopped`;
  }
  const failure = run.stdout.split('\n').map((l) => /^mirror: failed \(exit (\d+) ([a-z-]+)\): (.*)$/.exec(l)).filter((m) => m !== null).pop();
  if (!failure) {
    const said = run.stderr.trim().split('\n').pop() ?? '';
    return `the mirror script ended with exit ${run.code}${said ? `: ${said}` : ''}`;
  }
  const [, code, label, message] = failure;
  const side = /^reconcile: [a-z-]+ failed on (source|target) (https:\/\/\S+): (.*)$/.exec(message);
  if (!side) {
    return `${message} (exit ${code} ${label})`;
  }
  const [, which, url, why] = side;
  const token = Number(code) === MIRROR_EXIT_CODES.AUTH_FAILED.code ? `; the token came from ${credentials[which as 'source' | 'target'].from}` : '';
  return `${which} ${url}: ${why} (exit ${code} ${label}${token})`;
}

/** Runs the package's mirror script with `env`; tokens travel only in the environment. */
function runScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [mirrorScriptPath()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, DIRECTION_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout: '', stderr: `cannot run sh: ${e.message}`, timedOut: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

