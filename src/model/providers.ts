/**
 * The git hosting providers a mirror can read from or write to, and how each
 * one's push webhook maps onto the mirror pipeline's runtime inputs.
 *
 * Pure data: no `constructs` import, so it can be tested without cdktf.
 */

import { shown } from '../private/credentials';
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

/**
 * One condition of a Harness custom webhook trigger (`payloadConditions` / `headerConditions`).
 *
 * How Harness reads one (harness-core, `WebhookTriggerFilterUtils` and `ConditionEvaluator`):
 * the key is a text with `<+...>` expressions, rendered at trigger time (a missing value
 * renders as the text `null`); header-condition keys written exactly as
 * `<+trigger.header['Name']>` are lower-cased first, payload-condition keys are not, and the
 * trigger-time header map has lower-case names. So every header name here is written in
 * lower case, wherever it appears.
 */
export interface TriggerCondition {
  /** A text with Harness expressions, e.g. `<+trigger.payload.ref>` or `<+trigger.header['x-github-event']>`. */
  readonly key: string;
  /** A Harness trigger operator: Equals, NotEquals, In, NotIn, StartsWith, EndsWith, Contains, Regex. */
  readonly operator: string;
  /** The value to compare with. */
  readonly value: string;
}

/**
 * One kind of delivery a provider sends (its payload shape), and the custom webhook trigger
 * that admits exactly that kind and maps it onto `reference` / `referenceShaOld`.
 *
 * A provider whose deliveries come in several shapes (Bitbucket Cloud branch and tag
 * changes, Gitea push and delete events) gets one trigger per shape, each selected by its
 * conditions and reading plain paths, rather than one expression that branches: Harness
 * evaluates every nested `<+...>` of an expression before the expression itself, and `+`
 * with a null operand fails it.
 */
export interface WebhookShape {
  /**
   * What the trigger's identifier and construct ids add for this shape: `''` for the
   * direction's main trigger (`<pair>_forward`), else e.g. `tag` (`<pair>_forward_tag`).
   */
  readonly suffix: string;
  /** The deliveries this trigger admits, for people, e.g. `branch pushes`. */
  readonly description: string;
  /**
   * Harness text yielding the full ref name (`refs/heads/...` or `refs/tags/...`): plain
   * `<+path>` expressions, optionally after a literal prefix, never an operator.
   */
  readonly reference: string;
  /**
   * Harness text yielding the ref's previous SHA on the source: all zeros for a created ref;
   * empty, or the text `null` (a missing value), where the payload has none.
   */
  readonly referenceShaOld: string;
  /** Header conditions: header names in lower case. */
  readonly headerConditions: readonly TriggerCondition[];
  /** Payload conditions that, with the header conditions, admit only this shape. */
  readonly payloadConditions: readonly TriggerCondition[];
  /** Optional JEXL condition (Harness `jexlCondition`). */
  readonly jexlCondition?: string;
  /**
   * Where the payload may have no old SHA at all: the path (as written inside `<+...>`) of
   * the value, or of the object holding it, that is null or missing then, e.g. Bitbucket
   * Cloud's `old` for a created ref. Unset: every delivery of this shape has one.
   */
  readonly referenceShaOldAbsentWhenNull?: string;
}

/** How a provider's push webhooks are turned into runs of the mirror pipeline. */
export interface ProviderWebhook {
  /** The provider's name for people, e.g. `GitHub`. */
  readonly displayName: string;
  /**
   * The triggers a mirror direction declares for this provider, one per payload shape; the
   * first is the direction's main trigger. Each has its own webhook URL: register every one
   * on the source repository with {@link ProviderWebhook.events}.
   */
  readonly shapes: readonly WebhookShape[];
  /** The events to select when registering a webhook URL on the provider, for humans. */
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

/**
 * The Harness Code webhook triggers (events) a mirror admits, in a fixed order: branch and
 * tag changes, deletions included. They are the names of the webhook's trigger enum, which
 * a delivery repeats in its `trigger` field and a declared webhook selects.
 */
export const HARNESS_CODE_WEBHOOK_TRIGGERS: readonly string[] = [
  'branch_created',
  'branch_updated',
  'branch_deleted',
  'tag_created',
  'tag_updated',
  'tag_deleted',
];

/** The admitted Harness Code triggers as the value of an `In` condition. */
const HARNESS_CODE_TRIGGERS = HARNESS_CODE_WEBHOOK_TRIGGERS.join(', ');

/**
 * A header condition. Header names are written in lower case: the trigger-time header map
 * holds them lower-cased and is looked up exactly (harness-core `TriggerExpressionEvaluator`
 * builds it with `toLowerCase()`; `TriggerHelper.buildJsonObjectFromAmbiance` copies it into
 * a plain map), and only header-condition and JEXL keys are lower-cased for the user
 * (`WebhookTriggerFilterUtils.sanitiseHeaderConditionsForJexl`).
 */
function header(name: string, operator: string, value: string): TriggerCondition {
  if (name !== name.toLowerCase()) {
    throw new Error(`header names in trigger expressions must be lower case, got ${name}`);
  }
  return { key: `<+trigger.header['${name}']>`, operator, value };
}

/** The first change of a Bitbucket Cloud push. `new` is a JEXL reserved word: after a dot it does not parse, so it is indexed. */
const BITBUCKET_CHANGE = 'trigger.payload.push.changes[0]';

/** The Bitbucket Cloud trigger for one kind of change: a ref of `type`, pushed (`new` set) or deleted (`closed`). */
function bitbucketCloudShape(type: 'branch' | 'tag', deleted: boolean): WebhookShape {
  const side = deleted ? 'old' : "['new']";
  const sideCondition = deleted
    ? [
      { key: `<+${BITBUCKET_CHANGE}.closed>`, operator: 'Equals', value: 'true' },
      { key: `<+${BITBUCKET_CHANGE}.old.type>`, operator: 'Equals', value: type },
    ]
    : [{ key: `<+${BITBUCKET_CHANGE}${side}.type>`, operator: 'Equals', value: type }];
  return {
    suffix: [type === 'tag' ? 'tag' : '', deleted ? 'delete' : ''].filter((s) => s !== '').join('_'),
    description: `${type} ${deleted ? 'deletions' : 'creations and updates'}`,
    reference: `${type === 'branch' ? 'refs/heads/' : 'refs/tags/'}<+${BITBUCKET_CHANGE}${deleted ? '.old' : side}.name>`,
    referenceShaOld: `<+${BITBUCKET_CHANGE}.old.target.hash>`,
    headerConditions: [header('x-event-key', 'Equals', 'repo:push')],
    payloadConditions: sideCondition,
    // A created ref has no `old`; a deleted one always has it.
    ...(deleted ? {} : { referenceShaOldAbsentWhenNull: `${BITBUCKET_CHANGE}.old` }),
  };
}

const WEBHOOKS: Record<GitProvider, ProviderWebhook> = {
  [GitProvider.HARNESS_CODE]: {
    displayName: 'Harness Code',
    shapes: [
      {
        suffix: '',
        description: 'branch and tag creations, updates and deletions',
        reference: '<+trigger.payload.ref.name>',
        referenceShaOld: '<+trigger.payload.old_sha>',
        headerConditions: [],
        payloadConditions: [
          // The body's `trigger` field repeats the X-Harness-Trigger header.
          { key: '<+trigger.payload.trigger>', operator: 'In', value: HARNESS_CODE_TRIGGERS },
          { key: '<+trigger.payload.ref.name>', operator: 'StartsWith', value: 'refs/' },
        ],
      },
    ],
    events: 'Branch Created, Branch Updated, Branch Deleted, Tag Created, Tag Updated, Tag Deleted',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [],
  },
  [GitProvider.GITHUB]: {
    displayName: 'GitHub',
    shapes: [
      {
        suffix: '',
        description: 'pushes: branch and tag creations, updates and deletions',
        reference: '<+trigger.payload.ref>',
        referenceShaOld: '<+trigger.payload.before>',
        headerConditions: [header('x-github-event', 'Equals', 'push')],
        payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' }],
      },
    ],
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
    shapes: [
      {
        suffix: '',
        description: 'push and tag push events: branch and tag creations, updates and deletions',
        reference: '<+trigger.payload.ref>',
        referenceShaOld: '<+trigger.payload.before>',
        // Not `System Hook`: an instance-wide system hook reports pushes to every project.
        headerConditions: [header('x-gitlab-event', 'In', 'Push Hook, Tag Push Hook')],
        payloadConditions: [
          { key: '<+trigger.payload.object_kind>', operator: 'In', value: 'push, tag_push' },
          { key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' },
        ],
      },
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
    // Forgejo sends X-Forgejo-Event and, for compatibility, X-Gitea-Event with the same value.
    shapes: [
      {
        suffix: '',
        description: 'push events: branch creations and updates, tag creations, updates and deletions',
        reference: '<+trigger.payload.ref>',
        referenceShaOld: '<+trigger.payload.before>',
        headerConditions: [header('x-gitea-event', 'Equals', 'push')],
        payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' }],
      },
      {
        // A branch deletion arrives only as a delete event, with the short name and no old SHA;
        // tag deletions also arrive as push events, so only branches are admitted here.
        suffix: 'delete',
        description: 'delete events of branches',
        reference: 'refs/heads/<+trigger.payload.ref>',
        referenceShaOld: '',
        headerConditions: [header('x-gitea-event', 'Equals', 'delete')],
        payloadConditions: [{ key: '<+trigger.payload.ref_type>', operator: 'Equals', value: 'branch' }],
      },
    ],
    events: 'Custom events: Push and Delete (branch filter *)',
    contentType: 'application/json',
    multipleChanges: false,
    limits: [
      'A branch deletion arrives only as a Delete event, which carries no old SHA: the run refuses to delete blind (exit 32); delete the branch on the target by hand.',
    ],
  },
  [GitProvider.BITBUCKET_CLOUD]: {
    displayName: 'Bitbucket Cloud',
    shapes: [bitbucketCloudShape('branch', false), bitbucketCloudShape('tag', false), bitbucketCloudShape('branch', true), bitbucketCloudShape('tag', true)],
    events: 'Repository: Push',
    contentType: 'application/json',
    multipleChanges: true,
    limits: [
      'One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.',
      'The payload names refs by short name plus type (branch or tag): one trigger per type and per kind of change (pushed or deleted) builds the full name.',
    ],
  },
  [GitProvider.BITBUCKET_DATA_CENTER]: {
    displayName: 'Bitbucket Data Center',
    shapes: [
      {
        suffix: '',
        description: 'refs_changed events: branch and tag creations, updates and deletions',
        reference: '<+trigger.payload.changes[0].refId>',
        referenceShaOld: '<+trigger.payload.changes[0].fromHash>',
        // The webhook page's Test connection sends diagnostics:ping.
        headerConditions: [header('x-event-key', 'Equals', 'repo:refs_changed')],
        payloadConditions: [{ key: '<+trigger.payload.changes[0].refId>', operator: 'StartsWith', value: 'refs/' }],
      },
    ],
    events: 'Repository: Push',
    contentType: 'application/json',
    multipleChanges: true,
    limits: ['One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.'],
  },
  [GitProvider.AZURE_DEVOPS]: {
    displayName: 'Azure DevOps',
    shapes: [
      {
        suffix: '',
        description: 'git.push events: branch and tag creations, updates and deletions',
        reference: '<+trigger.payload.resource.refUpdates[0].name>',
        referenceShaOld: '<+trigger.payload.resource.refUpdates[0].oldObjectId>',
        headerConditions: [],
        payloadConditions: [
          { key: '<+trigger.payload.eventType>', operator: 'Equals', value: 'git.push' },
          { key: '<+trigger.payload.resource.refUpdates[0].name>', operator: 'StartsWith', value: 'refs/' },
        ],
      },
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
    shapes: [
      {
        suffix: '',
        description: 'one POST per changed ref',
        reference: '<+trigger.payload.ref>',
        referenceShaOld: '<+trigger.payload.before>',
        referenceShaOldAbsentWhenNull: 'trigger.payload.before',
        headerConditions: [],
        payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' }],
      },
    ],
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
    throw new Error(`Unknown GitProvider ${shown(provider)}`);
  }
  return webhook;
}

/**
 * The text for a webhook URL's description: where to register it and what to select.
 * For example `Register as a webhook of the GitHub source repository: content type
 * application/json, events: Just the push event.`
 */
export function webhookSetupDescription(provider: GitProvider): string {
  const w = providerWebhook(provider);
  if (provider === GitProvider.GENERIC) {
    return `Have the source git server send, with content type ${w.contentType}: ${w.events}.`;
  }
  const each = w.shapes.length > 1 ? ` Each of its ${w.shapes.length} trigger URLs is registered as a webhook of its own.` : '';
  return `Register as a webhook of the ${w.displayName} source repository: content type ${w.contentType}, events: ${w.events}.${each}`;
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
    throw new Error(`${prop}: expected an array of ref patterns, got ${shown(patterns)}`);
  }
  if (patterns.length === 0) {
    throw new Error(`${prop}: must list at least one ref pattern (leave it undefined to mirror all branches and tags)`);
  }
  patterns.forEach((pattern, i) => {
    const problem = refPatternProblem(pattern);
    if (problem) {
      throw new Error(`${prop}[${i}]: ${shown(pattern)} is not a valid ref pattern: ${problem}`);
    }
  });
}

/**
 * The trigger side of ref filters: a payload condition that admits a delivery only when the
 * reference its shape resolves to matches one of the patterns (see `validateRefPatterns`
 * for the pattern language). Its key is the shape's `reference` text, its operator `Regex`
 * (a full match in Harness) with an anchored expression, e.g. `^(?:refs/heads/main|refs/tags/v.*)$`.
 *
 * @param patterns glob patterns on full ref names, validated here; by default
 *   `DEFAULT_REF_PATTERNS` (all branches and tags)
 */
export function refFilterCondition(shape: WebhookShape, patterns: readonly string[] = DEFAULT_REF_PATTERNS): TriggerCondition {
  validateRefPatterns(patterns);
  return { key: shape.reference, operator: 'Regex', value: globsToRegex(patterns) };
}

/** The text that opens a Harness expression (harness-core `EngineExpressionEvaluator.EXPR_START`). */
const EXPRESSION_START = '<+';

/**
 * Payload conditions that refuse a delivery when a value the trigger reads from it (a
 * header, a payload field in a condition, the reference or the old SHA) contains `<+`.
 *
 * Why: when a `<+path>` block evaluates to a text that itself contains `<+...>`, Harness
 * evaluates that text as an expression too (harness-core `EngineExpressionEvaluator.
 * evaluateExpressionBlock`: "If object is another expression, evaluate it recursively"), at
 * trigger time when a condition key is rendered and again during the run when `inputYaml`
 * is. A ref name is chosen by whoever pushes (`refs/heads/x<+secrets.getValue("...")>` is a
 * valid git ref name), and a custom webhook URL accepts any body, so without this guard a
 * delivery could make Harness evaluate an expression of the sender's choosing with the
 * pipeline's access to secrets, and pass the result to the mirror script as the reference.
 *
 * Each guard key is one block whose value is a boolean, so it is not evaluated again: it
 * reads the value as JEXL data and tests its text (`"" + value`, which is also how a list
 * or a number would be rendered). The needle is written `"<" + "+"` so that the key has no
 * `<+` besides its own opening. A null or missing value fails the `+` (strict JEXL), the
 * block renders as `null` and the condition does not hold: a delivery without a value the
 * trigger needs is refused too, except for an old SHA the shape declares optional
 * (`referenceShaOldAbsentWhenNull`). The guards come before every other payload condition,
 * and Harness stops at the first payload condition that does not hold
 * (`WebhookTriggerFilterUtils.checkIfPayloadConditionsMatch`, which also runs before the
 * header conditions), so a refused value is never rendered. A ref refused here still
 * reaches the target through the reconcile run, which reads ref names from git, not from
 * Harness expressions.
 */
export function expressionGuards(shape: WebhookShape): TriggerCondition[] {
  const guarded = new Map<string, string | undefined>();
  const read = (text: string, absentWhenNull?: string) => {
    for (const block of text.matchAll(/<\+([^>]*)>/g)) {
      const path = block[1];
      if (path.includes(EXPRESSION_START)) {
        throw new Error(`trigger mappings read plain paths, got ${text}`);
      }
      if (!guarded.has(path)) {
        guarded.set(path, absentWhenNull);
      }
    }
  };
  read(shape.reference);
  read(shape.referenceShaOld, shape.referenceShaOldAbsentWhenNull);
  for (const condition of [...shape.headerConditions, ...shape.payloadConditions]) {
    read(condition.key);
  }
  if (shape.jexlCondition !== undefined) {
    read(shape.jexlCondition);
  }
  return [...guarded].map(([path, absentWhenNull]) => ({
    key: `<+${absentWhenNull !== undefined ? `${absentWhenNull}!=null&&` : ''}("" + ${path}).contains("<" + "+")>`,
    operator: 'Equals',
    value: 'false',
  }));
}

/**
 * All conditions of the mirror trigger for one payload shape, shaped like the custom
 * webhook trigger's `source.spec.spec`: the expression guards (see `expressionGuards`)
 * first, then the shape's header and payload conditions, the ref filter appended to the
 * payload conditions, and the shape's JEXL condition if any.
 *
 * @param patterns glob patterns on full ref names; by default `DEFAULT_REF_PATTERNS`
 *   (all branches and tags)
 */
export function triggerConditions(
  shape: WebhookShape,
  patterns: readonly string[] = DEFAULT_REF_PATTERNS,
): { headerConditions: TriggerCondition[]; payloadConditions: TriggerCondition[]; jexlCondition?: string } {
  return {
    headerConditions: [...shape.headerConditions],
    payloadConditions: [...expressionGuards(shape), ...shape.payloadConditions, refFilterCondition(shape, patterns)],
    ...(shape.jexlCondition !== undefined ? { jexlCondition: shape.jexlCondition } : {}),
  };
}
