/**
 * The git hosting providers a mirror can read from or write to, and how each
 * one's push webhook maps onto the mirror pipeline's runtime inputs.
 *
 * Pure data: no `constructs` import, so it can be tested without cdktf.
 */

import { globsToRegex, refPatternProblem } from '../private/ref-glob';

/** A git hosting provider on either side of a mirror. */
export enum GitProvider {
  /** Harness Code repositories. */
  HARNESS_CODE = 'HARNESS_CODE',
  /** GitHub.com or GitHub Enterprise Server. */
  GITHUB = 'GITHUB',
  /** GitLab.com or self-managed GitLab. */
  GITLAB = 'GITLAB',
  /** Gitea or Forgejo (Codeberg included). */
  GITEA = 'GITEA',
  /** Bitbucket Cloud (bitbucket.org). */
  BITBUCKET_CLOUD = 'BITBUCKET_CLOUD',
  /** Bitbucket Data Center / Server (self-hosted). */
  BITBUCKET_DATA_CENTER = 'BITBUCKET_DATA_CENTER',
  /** Azure DevOps Services or Server (Azure Repos). */
  AZURE_DEVOPS = 'AZURE_DEVOPS',
  /**
   * Any other git server. As a source it must POST, once per changed ref, the JSON body
   * `{ "ref": "<full ref name>", "before": "<old SHA, or empty>" }` to the webhook URL,
   * e.g. from a `post-receive` hook.
   */
  GENERIC = 'GENERIC',
}

/** One condition of a Harness custom webhook trigger (`payloadConditions` / `headerConditions`). */
export interface TriggerCondition {
  /** A Harness expression, e.g. `<+trigger.payload.ref>` or `<+trigger.header['X-GitHub-Event']>`. */
  readonly key: string;
  /** A Harness trigger operator: Equals, NotEquals, In, NotIn, StartsWith, EndsWith, Contains, DoesNotContain, Regex. */
  readonly operator: string;
  /** The value to compare with. */
  readonly value: string;
}

/** How a provider's push webhook is turned into the pipeline's `reference` and `referenceShaOld`. */
export interface ProviderWebhook {
  /** The provider's name for people, e.g. `GitHub`. */
  readonly displayName: string;
  /** Harness expression that yields the full ref name (`refs/heads/...` or `refs/tags/...`). */
  readonly reference: string;
  /**
   * Harness expression that yields the ref's previous SHA on the source: all zeros for a
   * created ref, or `null` where the payload has no old SHA.
   */
  readonly referenceShaOld: string;
  /** Header conditions that admit only ref-change deliveries. */
  readonly headerConditions: readonly TriggerCondition[];
  /** Payload conditions that admit only ref-change deliveries. */
  readonly payloadConditions: readonly TriggerCondition[];
  /** Optional JEXL condition (Harness `jexlCondition`). */
  readonly jexlCondition?: string;
  /** The events to select when registering the webhook on the provider, for humans. */
  readonly events: string;
  /** The content type to select when registering the webhook. */
  readonly contentType: string;
  /**
   * True when one delivery can carry several ref changes: the trigger mirrors the first one
   * and the reconcile run catches the rest.
   */
  readonly multipleChanges: boolean;
  /** What the provider does not deliver, or delivers in a way the mirror must know about, for humans. */
  readonly limits: readonly string[];
}

/** Every admitted Harness Code webhook trigger: branch and tag changes, deletions included. */
const HARNESS_CODE_TRIGGERS = 'branch_created, branch_updated, branch_deleted, tag_created, tag_updated, tag_deleted';

/** `reference` for Bitbucket Cloud: its changes carry a short name plus a type, and `new` is null for a deletion. */
function bitbucketCloudReference(): string {
  const change = 'trigger.payload.push.changes[0]';
  const fullName = (side: 'new' | 'old') =>
    `(<+${change}.${side}.type> == "branch" ? "refs/heads/" : "refs/tags/") + <+${change}.${side}.name>`;
  return `<+<+${change}.new.name> == null ? ${fullName('old')} : ${fullName('new')}>`;
}

const WEBHOOKS: Record<GitProvider, ProviderWebhook> = {
  [GitProvider.HARNESS_CODE]: {
    displayName: 'Harness Code',
    reference: '<+trigger.payload.ref.name>',
    referenceShaOld: '<+trigger.payload.old_sha>',
    headerConditions: [],
    payloadConditions: [
      // The body's `trigger` field repeats the X-Harness-Trigger header.
      { key: '<+trigger.payload.trigger>', operator: 'In', value: HARNESS_CODE_TRIGGERS },
      { key: '<+trigger.payload.ref.name>', operator: 'StartsWith', value: 'refs/' },
    ],
    events: 'Branch Created, Branch Updated, Branch Deleted, Tag Created, Tag Updated, Tag Deleted',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [],
  },
  [GitProvider.GITHUB]: {
    displayName: 'GitHub',
    reference: '<+trigger.payload.ref>',
    referenceShaOld: '<+trigger.payload.before>',
    headerConditions: [{ key: "<+trigger.header['X-GitHub-Event']>", operator: 'Equals', value: 'push' }],
    payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' }],
    events: 'Just the push event',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [
      'GitHub sends no push webhook when more than 3 tags are pushed at once.',
      'GitHub does not deliver payloads larger than 25 MB.',
    ],
  },
  [GitProvider.GITLAB]: {
    displayName: 'GitLab',
    reference: '<+trigger.payload.ref>',
    referenceShaOld: '<+trigger.payload.before>',
    // Not `System Hook`: an instance-wide system hook reports pushes to every project.
    headerConditions: [{ key: "<+trigger.header['X-Gitlab-Event']>", operator: 'In', value: 'Push Hook, Tag Push Hook' }],
    payloadConditions: [
      { key: '<+trigger.payload.object_kind>', operator: 'In', value: 'push, tag_push' },
      { key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' },
    ],
    events: 'Push events (all branches) and Tag push events',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [
      'GitLab runs no push or tag push webhooks when one push changes more than 3 branches or tags (the instance setting push_event_hooks_limit, default 3).',
      "The webhook page's Test > Push events sends a real push payload for the default branch, which the trigger admits; the run mirrors that branch as it is on the source.",
    ],
  },
  [GitProvider.GITEA]: {
    displayName: 'Gitea / Forgejo',
    // A branch deletion arrives only as a `delete` event with the short name.
    reference: "<+<+trigger.header['X-Gitea-Event']> == \"delete\" ? \"refs/heads/\" + <+trigger.payload.ref> : <+trigger.payload.ref>>",
    referenceShaOld: '<+trigger.payload.before>',
    // Forgejo sends X-Forgejo-Event and, for compatibility, X-Gitea-Event with the same value.
    headerConditions: [{ key: "<+trigger.header['X-Gitea-Event']>", operator: 'In', value: 'push, delete' }],
    payloadConditions: [],
    // Tag deletions also arrive as a push event, so of the delete events only branches are admitted.
    jexlCondition: "<+trigger.header['X-Gitea-Event']> == \"push\" || <+trigger.payload.ref_type> == \"branch\"",
    events: 'Custom events: Push and Delete (branch filter *)',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [
      'A branch deletion arrives only as a Delete event, which carries no old SHA: referenceShaOld is null and the deletion is mirrored without a lease.',
    ],
  },
  [GitProvider.BITBUCKET_CLOUD]: {
    displayName: 'Bitbucket Cloud',
    reference: bitbucketCloudReference(),
    referenceShaOld: '<+trigger.payload.push.changes[0].old.target.hash>',
    headerConditions: [{ key: "<+trigger.header['X-Event-Key']>", operator: 'Equals', value: 'repo:push' }],
    payloadConditions: [],
    events: 'Repository: Push',
    contentType: 'application/json',
    multipleChanges: true,
    limits: [
      'One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.',
      'The payload names refs by short name plus type (branch or tag); the trigger builds the full name.',
    ],
  },
  [GitProvider.BITBUCKET_DATA_CENTER]: {
    displayName: 'Bitbucket Data Center',
    reference: '<+trigger.payload.changes[0].refId>',
    referenceShaOld: '<+trigger.payload.changes[0].fromHash>',
    // The webhook page's Test connection sends diagnostics:ping.
    headerConditions: [{ key: "<+trigger.header['X-Event-Key']>", operator: 'Equals', value: 'repo:refs_changed' }],
    payloadConditions: [{ key: '<+trigger.payload.changes[0].refId>', operator: 'StartsWith', value: 'refs/' }],
    events: 'Repository: Push',
    contentType: 'application/json',
    multipleChanges: true,
    limits: ['One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.'],
  },
  [GitProvider.AZURE_DEVOPS]: {
    displayName: 'Azure DevOps',
    reference: '<+trigger.payload.resource.refUpdates[0].name>',
    referenceShaOld: '<+trigger.payload.resource.refUpdates[0].oldObjectId>',
    headerConditions: [],
    payloadConditions: [
      { key: '<+trigger.payload.eventType>', operator: 'Equals', value: 'git.push' },
      { key: '<+trigger.payload.resource.refUpdates[0].name>', operator: 'StartsWith', value: 'refs/' },
    ],
    events: 'Service hook Web Hooks, trigger "Code pushed" (any branch), resource details to send: All',
    contentType: 'application/json',
    multipleChanges: true,
    limits: [
      'One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.',
      "The service hook's Test sends a sample git.push for refs/heads/master, which the trigger admits; the run mirrors that ref as it is on the source, and the sample's old SHA keeps it from deleting anything.",
    ],
  },
  [GitProvider.GENERIC]: {
    displayName: 'Generic',
    reference: '<+trigger.payload.ref>',
    referenceShaOld: '<+trigger.payload.before>',
    headerConditions: [],
    payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' }],
    events: 'One POST per changed ref with the body {"ref": "<full ref name>", "before": "<old SHA, or empty>"}',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [],
  },
};

/** The webhook mapping for a source provider. */
export function providerWebhook(provider: GitProvider): ProviderWebhook {
  const webhook = WEBHOOKS[provider];
  if (!webhook) {
    throw new Error(`Unknown GitProvider '${provider}'`);
  }
  return webhook;
}

/**
 * The text for the webhook URL's description: where to register it and what to select.
 * For example `Register as a webhook of the GitHub source repository: content type
 * application/json, events: Just the push event.`
 */
export function webhookSetupDescription(provider: GitProvider): string {
  const w = providerWebhook(provider);
  if (provider === GitProvider.GENERIC) {
    return `Have the source git server send, with content type ${w.contentType}: ${w.events}.`;
  }
  return `Register as a webhook of the ${w.displayName} source repository: content type ${w.contentType}, events: ${w.events}.`;
}

/**
 * The ref patterns mirrored when none are given: all branches and all tags.
 */
export const DEFAULT_REF_PATTERNS: readonly string[] = ['refs/heads/*', 'refs/tags/*'];

/**
 * Checks ref patterns (the `refs` prop) and throws an Error naming the offending element,
 * e.g. `refs[1]: 'heads/main' is not a valid ref pattern: must start with 'refs/' ...`.
 *
 * Pattern language (the same in the trigger and in the mirror script): glob patterns on
 * full ref names, matched against the whole name; `*` matches any characters including `/`
 * (as in a POSIX shell `case` pattern), `?` exactly one character, every other character
 * itself. Allowed characters: letters, digits, `. _ - / + @ = , % #`, `*` and `?`; a pattern
 * starts with `refs/` and follows git's ref-name rules (no `..`, no empty component, no
 * component starting with `.` or ending with `.lock`, no trailing `.`).
 *
 * @param patterns the patterns to check; must not be empty
 * @param prop the prop name used in error messages
 */
export function validateRefPatterns(patterns: readonly string[], prop: string = 'refs'): void {
  if (!Array.isArray(patterns)) {
    throw new Error(`${prop}: expected an array of ref patterns, got ${JSON.stringify(patterns)}`);
  }
  if (patterns.length === 0) {
    throw new Error(`${prop}: must list at least one ref pattern (leave it undefined to mirror all branches and tags)`);
  }
  patterns.forEach((pattern, i) => {
    const problem = refPatternProblem(pattern);
    if (problem) {
      throw new Error(`${prop}[${i}]: ${JSON.stringify(pattern)} is not a valid ref pattern: ${problem}`);
    }
  });
}

/**
 * The trigger side of ref filters: a payload condition that admits a delivery only when the
 * reference it resolves to matches one of the patterns (see `validateRefPatterns` for the
 * pattern language). Its key is the provider's `reference` expression, its operator
 * `Regex` with an anchored expression, e.g. `^(?:refs/heads/main|refs/tags/v.*)$`.
 *
 * @param patterns glob patterns on full ref names, validated here; by default
 *   `DEFAULT_REF_PATTERNS` (all branches and tags)
 */
export function refFilterCondition(provider: GitProvider, patterns: readonly string[] = DEFAULT_REF_PATTERNS): TriggerCondition {
  validateRefPatterns(patterns);
  return { key: providerWebhook(provider).reference, operator: 'Regex', value: globsToRegex(patterns) };
}

/**
 * All conditions of a mirror trigger whose source is `provider`, shaped like the custom
 * webhook trigger's `source.spec.spec`: the provider's header and payload conditions, the
 * ref filter appended to the payload conditions, and the provider's JEXL condition if any.
 *
 * @param patterns glob patterns on full ref names; by default `DEFAULT_REF_PATTERNS`
 *   (all branches and tags)
 */
export function triggerConditions(
  provider: GitProvider,
  patterns: readonly string[] = DEFAULT_REF_PATTERNS,
): { headerConditions: TriggerCondition[]; payloadConditions: TriggerCondition[]; jexlCondition?: string } {
  const w = providerWebhook(provider);
  return {
    headerConditions: [...w.headerConditions],
    payloadConditions: [...w.payloadConditions, refFilterCondition(provider, patterns)],
    ...(w.jexlCondition !== undefined ? { jexlCondition: w.jexlCondition } : {}),
  };
}
