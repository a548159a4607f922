/**
 * A source and a target repository on a test git server, and a way to run the mirror
 * pipeline's Run step against them with the inputs a manual run or a webhook would give.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { MIRROR_EXIT_CODES, MirrorExitCodeName } from '../../src/model/exit-codes';
import { HarnessContext, resolveExpressions } from './harness-expressions';
import { exampleRunStep, RunStepSpec } from './example-step';
import { GitServer, startGitServer } from './git-server';
import { RunStepOptions, RunStepResult, filesContaining, runStep } from './run-step';

/** The pipeline variables of one run (strings as Harness holds them). */
export interface MirrorInputs {
  readonly sourceURL: string;
  readonly targetURL: string;
  /** Token values; the fixture stores them as secrets and passes identifiers. */
  readonly sourceToken: string;
  readonly targetToken: string;
  readonly reference: string;
  readonly referenceShaOld?: string;
  readonly syncDelete?: string;
  readonly refFilters?: string;
  readonly mode?: string;
  readonly twoWay?: string;
  readonly sourceUsername?: string;
  readonly targetUsername?: string;
  readonly maxRefsPerPush?: string;
}

/** How Harness hands an unset optional variable to an expression. */
export type UnsetAs = '' | 'null';

/**
 * The Harness context of a run: the pipeline variables (tokens as secret identifiers of
 * the Secret-type variables) and the secrets they name.
 */
export function mirrorContext(inputs: MirrorInputs, unsetAs: UnsetAs = 'null'): HarnessContext {
  const opt = (v: string | undefined) => (v === undefined ? unsetAs : v);
  return {
    pipelineVariables: {
      sourceToken: 'mirror_source_token',
      sourceURL: inputs.sourceURL,
      targetToken: 'mirror_target_token',
      targetURL: inputs.targetURL,
      reference: inputs.reference,
      referenceShaOld: opt(inputs.referenceShaOld),
      syncDelete: opt(inputs.syncDelete),
      refFilters: opt(inputs.refFilters),
      mode: opt(inputs.mode),
      twoWay: opt(inputs.twoWay),
      sourceUsername: opt(inputs.sourceUsername),
      targetUsername: opt(inputs.targetUsername),
      maxRefsPerPush: opt(inputs.maxRefsPerPush),
    },
    secretVariables: ['sourceToken', 'targetToken'],
    secrets: { mirror_source_token: inputs.sourceToken, mirror_target_token: inputs.targetToken },
  };
}

/** A GitHub push webhook body (the fields the trigger reads). */
export interface PushPayload {
  readonly ref: string;
  readonly before: string;
  readonly after: string;
  readonly deleted?: boolean;
}

/** The trigger inputs of a GitHub-sourced custom webhook trigger, as in the guide. */
export const GITHUB_TRIGGER_INPUTS = {
  reference: '<+trigger.payload.ref>',
  referenceShaOld: '<+trigger.payload.before>',
} as const;

/**
 * The pipeline variables of a triggered run: the input set's values overlaid with the
 * trigger's inputs, whose expressions are resolved against the webhook payload.
 */
export function triggeredInputs(
  inputSet: Omit<MirrorInputs, 'reference' | 'referenceShaOld'>,
  payload: unknown,
  triggerInputs: Record<string, string> = GITHUB_TRIGGER_INPUTS,
): MirrorInputs {
  const resolved: Record<string, string> = {};
  for (const [name, expr] of Object.entries(triggerInputs)) {
    resolved[name] = resolveExpressions(expr, { payload });
  }
  return { ...inputSet, reference: resolved.reference, referenceShaOld: resolved.referenceShaOld, ...resolved };
}

/** A random token, distinctive enough to search for in outputs and files. */
export function newToken(label: string): string {
  return `tok-${label}-${randomBytes(12).toString('hex')}`;
}

/** Both ways a token could leak: as itself and inside the Basic credential (with any of `users`). */
export function tokenNeedles(token: string, users: readonly string[] = ['git']): string[] {
  return [token, ...users.map((u) => Buffer.from(`${u}:${token}`).toString('base64'))];
}

/** A run's result; its folders are gone, what they held is listed. */
export interface MirrorRunResult extends RunStepResult {
  /** Names in the run's working directory when it ended (a command's marker file would show here). */
  readonly cwdEntries: string[];
  /** Names in the run's HOME when it ended. */
  readonly homeEntries: string[];
}

/** Options of `MirrorFixture.run`. */
export interface MirrorRunOptions extends RunStepOptions {
  /** How unset optional variables arrive. @default 'null' */
  readonly unsetAs?: UnsetAs;
  /** Scan for leaked tokens after the run. @default true */
  readonly checkLeaks?: boolean;
  /** Include the server's repositories in the scan (it grows with every object). @default true */
  readonly scanServer?: boolean;
}

/** Where any of `tokens` shows up in a run's output, git arguments, process list or files under `dirs`. */
export function tokenLeaks(result: RunStepResult, tokens: readonly string[], dirs: readonly string[], users: readonly string[] = ['git']): string[] {
  // Values too short or too common to be a credential (an empty or 'null' token under test) are not searched.
  const needles = [...new Set(tokens.filter((t) => t.length >= 8).flatMap((t) => tokenNeedles(t, users)))];
  const leaks: string[] = [];
  for (const n of needles) {
    if (result.stdout.includes(n)) {
      leaks.push(`stdout: ${n}`);
    }
    if (result.stderr.includes(n)) {
      leaks.push(`stderr: ${n}`);
    }
    if (result.gitCalls.some((args) => args.some((a) => a.includes(n)))) {
      leaks.push(`git arguments: ${n}`);
    }
    if (result.processCommandLines.some((c) => c.includes(n))) {
      leaks.push(`process command line: ${n}`);
    }
  }
  return [...leaks, ...filesContaining(dirs, needles)];
}

/** The start of the mirror script's failure line for an exit code. */
export function failurePrefix(name: MirrorExitCodeName): string {
  const c = MIRROR_EXIT_CODES[name];
  return `mirror: failed (exit ${c.code} ${c.label}): `;
}

/** Two repositories `a` and `b` on one HTTPS git server, each with its own token. */
export class MirrorFixture {
  public readonly tokenA = newToken('a');
  public readonly tokenB = newToken('b');
  public readonly repoA: string;
  public readonly repoB: string;

  private constructor(public readonly server: GitServer, public readonly step: RunStepSpec) {
    this.repoA = server.createRepo('a', { [this.tokenA]: 'user-a' });
    this.repoB = server.createRepo('b', { [this.tokenB]: 'user-b' });
  }

  /** Starts a server and creates the two repositories. */
  public static async start(step: RunStepSpec = exampleRunStep()): Promise<MirrorFixture> {
    return new MirrorFixture(await startGitServer(), step);
  }

  /** Inputs for mirroring `reference` from a to b (or b to a). */
  public inputs(reference: string, extra: Partial<MirrorInputs> = {}, direction: 'a->b' | 'b->a' = 'a->b'): MirrorInputs {
    const ab = direction === 'a->b';
    return {
      sourceURL: this.server.url(ab ? 'a' : 'b'),
      targetURL: this.server.url(ab ? 'b' : 'a'),
      sourceToken: ab ? this.tokenA : this.tokenB,
      targetToken: ab ? this.tokenB : this.tokenA,
      reference,
      ...extra,
    };
  }

  /** The environment every run gets besides the step's own: trust the test CA, retry fast. */
  public baseEnv(): Record<string, string> {
    return { GIT_SSL_CAINFO: this.server.caFile!, GIT_SSL_CAPATH: this.server.emptyCaPath, MIRROR_RETRY_DELAY: '0' };
  }

  /**
   * Runs the step with `inputs`, then checks that neither token (nor its Basic credential)
   * appears in the output, in any git command's arguments or in any file the run or the
   * server left behind, including files the run deleted; throws if one does.
   */
  public async run(inputs: MirrorInputs, options: MirrorRunOptions = {}): Promise<MirrorRunResult> {
    const result = await runStep(this.step, mirrorContext(inputs, options.unsetAs), {
      traceGit: true,
      snapshotRemoved: true,
      ...options,
      extraEnv: { ...this.baseEnv(), ...(options.extraEnv ?? {}) },
    });
    try {
      if (options.checkLeaks ?? true) {
        const users = ['git', inputs.sourceUsername, inputs.targetUsername].filter((u): u is string => !!u);
        const leaks = tokenLeaks(
          result,
          [inputs.sourceToken, inputs.targetToken, this.tokenA, this.tokenB],
          [result.root, ...((options.scanServer ?? true) ? [this.server.root] : [])],
          users,
        );
        if (leaks.length > 0) {
          throw new Error(`token leaked:\n${leaks.join('\n')}`);
        }
      }
      return { ...result, cwdEntries: fs.readdirSync(result.dirs.cwd), homeEntries: fs.readdirSync(result.dirs.home) };
    } finally {
      result.cleanup();
    }
  }

  /** Stops the server. */
  public async close(): Promise<void> {
    await this.server.close();
  }
}
