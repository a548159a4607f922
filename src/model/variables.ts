/**
 * The mirror pipeline's variables: the seven of Harness's "Mirror repositories" guide,
 * in the guide's order, then optional ones added by this library. Added variables are
 * never required and always have a usable empty or default value, so a run started with
 * only the guide's inputs still works.
 */

/** A pipeline variable as it appears under `pipeline.variables`. */
export interface PipelineVariable {
  /** Variable name, referenced as `<+pipeline.variables.NAME>`. */
  readonly name: string;
  /** Harness variable type. */
  readonly type: 'String' | 'Secret';
  /** Shown in the Harness UI. */
  readonly description: string;
  /** Whether a run must supply a value. */
  readonly required: boolean;
  /** Runtime input expression. */
  readonly value: string;
  /** Environment variable through which the Run step hands the value to the mirror script. */
  readonly env: string;
}

/** Limits the mirror script enforces and the constructs validate against, by the name the script uses. */
export const SCRIPT_LIMITS = {
  /** Refs one reconcile push updates when `maxRefsPerPush` is unset. */
  DEFAULT_MAX_REFS_PER_PUSH: 100,
  /** The largest `maxRefsPerPush`: beyond it a push's arguments could grow past what the system accepts. */
  MAX_MAX_REFS_PER_PUSH: 1000,
  /** The longest user name sent with a token. */
  MAX_USERNAME_LENGTH: 128,
} as const;

/**
 * Every variable of the mirror pipeline, in rendering order: the one table the pipeline's
 * variables, the Run step's environment, the input sets and the triggers are rendered from
 * (by name, so a misspelt name does not compile), and that the mirror script's inputs are
 * checked against (test/scripts/mirror-script.test.ts).
 */
export const PIPELINE_VARIABLES = [
  {
    name: 'sourceToken',
    type: 'Secret',
    description: 'Access token for the source repo.',
    required: true,
    value: '<+input>',
    env: 'MIRROR_SOURCE_TOKEN',
  },
  {
    name: 'sourceURL',
    type: 'String',
    description: 'The https-format clone URL for the source repo.',
    required: true,
    value: '<+input>',
    env: 'MIRROR_SOURCE_URL',
  },
  {
    name: 'targetToken',
    type: 'Secret',
    description: 'Access token for the target repo.',
    required: true,
    value: '<+input>',
    env: 'MIRROR_TARGET_TOKEN',
  },
  {
    name: 'targetURL',
    type: 'String',
    description: 'The https-format clone URL for the target repo.',
    required: true,
    value: '<+input>',
    env: 'MIRROR_TARGET_URL',
  },
  {
    name: 'reference',
    type: 'String',
    description: "The full reference path to sync from source to target, such as 'refs/heads/main' for branches and 'refs/tags/v1.2.3' for tags.",
    required: true,
    value: '<+input>',
    env: 'MIRROR_REFERENCE',
  },
  {
    name: 'referenceShaOld',
    type: 'String',
    description: "The previous value of the 'reference' on the source repo.",
    required: false,
    value: '<+input>',
    env: 'MIRROR_REFERENCE_SHA_OLD',
  },
  {
    name: 'syncDelete',
    type: 'String',
    description: 'Indicates if deletion of a branch or tag reference on the source repo should be synced to the target repo.',
    required: false,
    value: '<+input>.default(false).allowedValues(true,false)',
    env: 'MIRROR_SYNC_DELETE',
  },
  {
    name: 'refFilters',
    type: 'String',
    description: "Space-separated glob patterns on full ref names that may be mirrored, such as 'refs/heads/main refs/tags/v*'. Empty: all branches and tags.",
    required: false,
    value: '<+input>',
    env: 'MIRROR_REF_FILTERS',
  },
  {
    name: 'mode',
    type: 'String',
    description: "'ref' mirrors the one 'reference'; 'reconcile' brings every matching ref in line.",
    required: false,
    value: '<+input>.default(ref).allowedValues(ref,reconcile)',
    env: 'MIRROR_MODE',
  },
  {
    name: 'sourceUsername',
    type: 'String',
    description: "User name sent with the source token (Bitbucket Cloud access tokens need 'x-token-auth'). Empty: 'git'.",
    required: false,
    value: '<+input>',
    env: 'MIRROR_SOURCE_USERNAME',
  },
  {
    name: 'targetUsername',
    type: 'String',
    description: "User name sent with the target token (Bitbucket Cloud access tokens need 'x-token-auth'). Empty: 'git'.",
    required: false,
    value: '<+input>',
    env: 'MIRROR_TARGET_USERNAME',
  },
  {
    name: 'twoWay',
    type: 'String',
    description: 'Whether the pair is mirrored both ways (a reconcile run then only fast-forwards and never deletes).',
    required: false,
    value: '<+input>.default(false).allowedValues(true,false)',
    env: 'MIRROR_TWO_WAY',
  },
  {
    name: 'maxRefsPerPush',
    type: 'String',
    description: `Mode reconcile: the most refs one push updates (1-${SCRIPT_LIMITS.MAX_MAX_REFS_PER_PUSH}); a push the target refuses for its size is sent again in halves. Empty: ${SCRIPT_LIMITS.DEFAULT_MAX_REFS_PER_PUSH}.`,
    required: false,
    value: '<+input>',
    env: 'MIRROR_MAX_REFS_PER_PUSH',
  },
] as const satisfies readonly PipelineVariable[];

/** The name of a pipeline variable: one of {@link PIPELINE_VARIABLES}. */
export type PipelineVariableName = (typeof PIPELINE_VARIABLES)[number]['name'];

/** The table entry of a pipeline variable. */
export function pipelineVariable(name: PipelineVariableName): PipelineVariable {
  return PIPELINE_VARIABLES.find((v) => v.name === name)!;
}

/** An input the mirror script reads from its environment that no pipeline variable sets. */
export interface ScriptOnlyInput {
  /** The environment variable. */
  readonly env: string;
  /** What it does, and the values it takes. */
  readonly description: string;
}

/**
 * Inputs of the mirror script outside the pipeline's variables, by name: for tuning, and for
 * the `status` command's dry run. The Run step never sets them.
 */
export const SCRIPT_ONLY_INPUTS = {
  RETRY_ATTEMPTS: { env: 'MIRROR_RETRY_ATTEMPTS', description: 'Attempts for transient failures, 1-10; default 4.' },
  RETRY_DELAY: { env: 'MIRROR_RETRY_DELAY', description: 'First backoff in seconds, 0-60, doubled after each attempt; default 2.' },
  SCRIPT_SOURCED: {
    env: 'MIRROR_SCRIPT_SOURCED',
    description: "'1' when a test sources the script for its functions: it then defines them and runs nothing.",
  },
  DRY_RUN: {
    env: 'MIRROR_DRY_RUN',
    description: "Mode reconcile only: 'true' compares and reports every matching ref on a status line and changes nothing (exit 0 in sync, 35 out of sync); default false.",
  },
} as const satisfies Record<string, ScriptOnlyInput>;
