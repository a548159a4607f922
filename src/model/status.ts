/**
 * The status report: how a dry run of the mirror script's mode reconcile
 * (`MIRROR_DRY_RUN=true`) classifies each matching branch and tag of a direction, and the
 * line it prints for it. The script (`rc_status`) and the `status` command share the names
 * below; a test keeps them equal.
 *
 * A status line: `mirror: status: STATE ACTION REF SOURCE-SHA TARGET-SHA REASON`, the SHAs
 * `-` for a side without the ref, the reason free text (none for an in-sync ref).
 */

/** What one state means, and what to do about it. */
export interface RefStateInfo {
  /** What the state says about the ref, for people. */
  readonly meaning: string;
  /** What the mirror does about it, and what a person should do. */
  readonly todo: string;
}

/** How a ref compares between the source and the target of a direction, in report order. */
export const REF_STATES = {
  'in-sync': {
    meaning: 'Both sides hold the same value.',
    todo: 'Nothing.',
  },
  'missing': {
    meaning: 'Only the source has it.',
    todo: "A reconcile run (the pair's `reconcile.schedule`, or the pipeline run by hand in mode reconcile) creates it. A lost webhook is the usual cause: check the source's webhook deliveries.",
  },
  'behind': {
    meaning: "The target's branch is an ancestor of the source's: it can be fast-forwarded.",
    todo: "A reconcile run fast-forwards it; if it stays behind, look at the mirror's failed runs.",
  },
  'ahead': {
    meaning: "The source's branch is an ancestor of the target's: the target has commits the source lacks.",
    todo: 'Two-way: the opposite direction carries them back (its webhook or reconcile). One-way: someone pushed to the target; push those commits to the source, or drop them (docs/mirror-script.md, "Resolving a conflict").',
  },
  'diverged': {
    meaning: 'Each side has commits the other lacks, or a tag names another object on each side.',
    todo: 'A person decides: keep the source\'s, keep the target\'s or merge (docs/mirror-script.md, "Resolving a conflict"). No run overwrites it.',
  },
  'extra': {
    meaning: 'Only the target has it.',
    todo: 'One-way with syncDelete: a reconcile run deletes it. Two-way: the opposite direction creates it on the source. Otherwise it stays: delete it by hand if it should go.',
  },
} as const satisfies Record<string, RefStateInfo>;

/** A state of {@link REF_STATES}. */
export type RefState = keyof typeof REF_STATES;

/** What a reconcile run does about a ref: the status line's ACTION. */
export const REF_ACTIONS = ['none', 'create', 'fast-forward', 'delete', 'keep', 'conflict'] as const;

/** An action of {@link REF_ACTIONS}. */
export type RefAction = (typeof REF_ACTIONS)[number];

/** One ref of a direction as the dry run reports it. */
export interface RefStatus {
  /** The full ref name. */
  readonly ref: string;
  /** How it compares. */
  readonly state: RefState;
  /** What a reconcile run does about it. */
  readonly action: RefAction;
  /** Its value on the source, or null. */
  readonly source: string | null;
  /** Its value on the target, or null. */
  readonly target: string | null;
  /** Why, for people (empty for an in-sync ref). */
  readonly reason: string;
}

const SHA = '(?:[0-9a-f]{40}|[0-9a-f]{64})';
const STATUS_LINE = new RegExp(
  `^mirror: status: (${Object.keys(REF_STATES).join('|')}) (${REF_ACTIONS.join('|')}) (refs/(?:heads|tags)/[^\\s]+) (${SHA}|-) (${SHA}|-)(?: (.*))?$`,
);

/** The ref status a line of the script's output reports, or undefined when it is no status line. */
export function parseStatusLine(line: string): RefStatus | undefined {
  const m = STATUS_LINE.exec(line);
  if (!m) {
    return undefined;
  }
  return {
    state: m[1] as RefState,
    action: m[2] as RefAction,
    ref: m[3],
    source: m[4] === '-' ? null : m[4],
    target: m[5] === '-' ? null : m[5],
    reason: m[6] ?? '',
  };
}

/** Exit codes of `cdktf-harness-mirror status`. */
export const STATUS_EXIT_CODES = {
  /** Every matching ref of every direction is in sync. */
  IN_SYNC: 0,
  /** A side could not be read (unreachable, credentials refused or missing), or the command was misused. */
  ERROR: 2,
  /** Some ref differs (and nothing failed). */
  OUT_OF_SYNC: 3,
} as const;
