/**
 * The exit codes of the mirror script (`src/scripts/mirror.sh`), one per failure class.
 * The script defines the same codes as `EXIT_<NAME>=<code>` and prints the label in its
 * failure line (`mirror: failed (exit 31 target-moved): ...`); a test keeps the two equal.
 *
 * Codes 1 and 2 can also come from the shell itself, 126/127 from a missing program and
 * 128 + n from a signal.
 */

/** One exit code of the mirror script. */
export interface MirrorExitCode {
  /** The process exit status. */
  readonly code: number;
  /** The short name printed in the script's failure line. */
  readonly label: string;
  /** Whether the script retries this class itself (with backoff) before giving up. */
  readonly retried: boolean;
  /** What happened. */
  readonly meaning: string;
  /** What an operator should do. */
  readonly action: string;
}

/** Every exit code of the mirror script, by the name the script uses (`EXIT_<NAME>`). */
export const MIRROR_EXIT_CODES = {
  /** Synced, already in sync, or skipped on purpose; the summary line says which. */
  OK: {
    code: 0,
    label: 'ok',
    retried: false,
    meaning: 'The ref was created, fast-forwarded, force-updated under a lease or deleted on the target; or nothing was needed (already in sync, target ahead, deletion not mirrored). In mode reconcile: every matching branch and tag is in line or kept on purpose.',
    action: 'None.',
  },
  /** The script itself failed unexpectedly. */
  INTERNAL: {
    code: 1,
    label: 'internal',
    retried: false,
    meaning: 'The script could not set itself up (temporary directory, local git repository).',
    action: 'Check the build machine (disk space, /tmp); run again.',
  },
  /** An input variable is missing or malformed; no git command ran. */
  INVALID_INPUT: {
    code: 10,
    label: 'invalid-input',
    retried: false,
    meaning: 'A pipeline variable is missing or malformed (URL, token, user name, reference, referenceShaOld, syncDelete, twoWay, refFilters). Nothing was contacted.',
    action: 'Fix the variable named in the message (input set or trigger); a forged webhook also ends here.',
  },
  /** `mode` is neither `ref` nor `reconcile`. */
  UNSUPPORTED_MODE: {
    code: 11,
    label: 'unsupported-mode',
    retried: false,
    meaning: 'The mode variable asks for a mode this script does not implement.',
    action: "Leave mode empty or set it to 'ref' or 'reconcile'.",
  },
  /** The reference matches none of `refFilters`. */
  REF_FILTERED: {
    code: 12,
    label: 'ref-filtered',
    retried: false,
    meaning: 'The reference matches none of the refFilters patterns; nothing was contacted.',
    action: 'Expected for refs the pair does not mirror; otherwise widen refFilters.',
  },
  /** A program the script needs is missing or too old. */
  MISSING_TOOL: {
    code: 13,
    label: 'missing-tool',
    retried: false,
    meaning: 'The step image lacks git 2.32 or later, base64, tr, mktemp, rm or sleep (or awk, for mode reconcile).',
    action: 'Use an image with git 2.32+ and coreutils or busybox.',
  },
  /** The server refused the credentials (HTTP 401/403). */
  AUTH_FAILED: {
    code: 20,
    label: 'auth-failed',
    retried: false,
    meaning: 'The source or target refused the token (HTTP 401), or the token lacks the permission (HTTP 403, e.g. no push right on the target).',
    action: 'Check the secret behind sourceToken/targetToken: value, expiry, read (source) and push (target) permission.',
  },
  /** The repository does not exist or is invisible to the token (HTTP 404). */
  REPO_NOT_FOUND: {
    code: 21,
    label: 'repo-not-found',
    retried: false,
    meaning: 'The source or target URL names no repository the token can see.',
    action: 'Check sourceURL/targetURL and that the token has access to the repository.',
  },
  /** Connection failures and HTTP 5xx, after the retries. */
  UNAVAILABLE: {
    code: 22,
    label: 'unavailable',
    retried: true,
    meaning: 'The server could not be reached (refused, reset, timed out, DNS) or answered HTTP 5xx, on every attempt.',
    action: 'Transient: run again later. If it persists, check the URL host and the network path from the build machine.',
  },
  /** The server's TLS certificate is not trusted. */
  TLS_FAILED: {
    code: 23,
    label: 'tls-failed',
    retried: false,
    meaning: "The server's certificate could not be verified.",
    action: 'Use a host with a publicly trusted certificate, or add its CA to the image (GIT_SSL_CAINFO).',
  },
  /** Any other git failure. */
  GIT_FAILED: {
    code: 24,
    label: 'git-failed',
    retried: false,
    meaning: 'git failed in a way the script does not classify; its error output is printed above the summary.',
    action: 'Read the git output in the log.',
  },
  /** The target has commits the source lacks and no old SHA allows a lease. */
  NOT_FAST_FORWARD: {
    code: 30,
    label: 'not-fast-forward',
    retried: false,
    meaning: "The target's ref is not an ancestor of the source's (or the tag differs) and referenceShaOld is unknown, so updating it could lose commits.",
    action: 'Resolve as a conflict: see "Resolving a conflict" in docs/mirror-script.md.',
  },
  /** Both sides changed: the target no longer holds the source's previous SHA. */
  TARGET_MOVED: {
    code: 31,
    label: 'target-moved',
    retried: false,
    meaning: "The source moved from referenceShaOld, but the target no longer holds that SHA: both sides changed (a two-way race, or a push straight to the target). Nothing was overwritten. In mode reconcile: refs changed on the target between the listing and the push and were left as they are.",
    action: 'Resolve as a conflict: see "Resolving a conflict" in docs/mirror-script.md.',
  },
  /** A deletion on the source would delete something else on the target. */
  DELETE_REFUSED: {
    code: 32,
    label: 'delete-refused',
    retried: false,
    meaning: 'The ref was deleted on the source, but the target holds a SHA other than referenceShaOld (or referenceShaOld is unknown). Nothing was deleted.',
    action: 'Resolve as a conflict: see "Resolving a conflict" in docs/mirror-script.md.',
  },
  /** The target refused the update for its own reasons. */
  PUSH_REJECTED: {
    code: 33,
    label: 'push-rejected',
    retried: false,
    meaning: "The target refused the push: a protected branch or tag, a server hook, or a ref name clash; the server's reason is printed.",
    action: "Allow the mirror's account to push the ref (branch protection, push rules) or exclude the ref with refFilters.",
  },
  /** A reconcile run left refs it could not move without losing commits. */
  RECONCILE_CONFLICTS: {
    code: 34,
    label: 'reconcile-conflicts',
    retried: false,
    meaning: 'Mode reconcile: some matching refs differ in a way a reconcile never settles (a branch diverged, a tag differs, or on a one-way pair the target is ahead), or have a name the script refuses. They were left as they are, each listed with both SHAs; every other ref was brought in line.',
    action: 'Resolve each listed ref as its line says; see "Resolving a conflict" in docs/mirror-script.md.',
  },
  /** A dry run found refs that differ. */
  OUT_OF_SYNC: {
    code: 35,
    label: 'out-of-sync',
    retried: false,
    meaning: 'Mode reconcile with MIRROR_DRY_RUN=true (the status report): some matching branches or tags differ between source and target, or were skipped for their name; each is listed on a status line. Nothing was changed.',
    action: 'Read the status lines (npx cdktf-harness-mirror status shows them per pair); the scheduled reconcile settles missing, behind and (one-way, syncDelete) extra refs, the rest needs a person: see "Operating" in the README.',
  },
} as const satisfies Record<string, MirrorExitCode>;

/** The name of an exit code (`OK`, `TARGET_MOVED`, ...). */
export type MirrorExitCodeName = keyof typeof MIRROR_EXIT_CODES;

/**
 * Statuses the mirror script's functions return to each other, never exit codes: each is
 * handled where it is returned to (listed again, sent in smaller batches, fetched in full).
 * The script defines them as `<NAME>=<code>`, above the exit codes' range of meaning; a test
 * keeps them equal and checks that the script returns no status by a bare number.
 */
export const MIRROR_INTERNAL_STATUSES = {
  /** A ref changed on a side while the run worked on it: list again and decide again (at most MAX_LOOKS times). */
  LOOK_AGAIN: 75,
  /** Mode reconcile: the target refused a push for its size; send it in smaller batches. */
  PUSH_TOO_LARGE: 76,
  /** Mode ref: what the base made possible failed (commits by id refused, a push that needs more); fetch the whole history. */
  FULL_FETCH_NEEDED: 77,
} as const;
