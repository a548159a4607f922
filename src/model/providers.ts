/**
 * The git hosting providers a mirror can read from or write to, and how each
 * one's push webhook maps onto the mirror pipeline's runtime inputs.
 *
 * Pure data: no `constructs` import, so it can be tested without cdktf.
 */

/** A git hosting provider on either side of a mirror. */
export enum GitProvider {
  /** Harness Code repositories. */
  HARNESS_CODE = 'HARNESS_CODE',
  /** GitHub.com or GitHub Enterprise Server. */
  GITHUB = 'GITHUB',
  /** GitLab.com or self-managed GitLab. */
  GITLAB = 'GITLAB',
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
  /** Harness expression that yields the full ref name (`refs/heads/...` or `refs/tags/...`). */
  readonly reference: string;
  /** Harness expression that yields the ref's previous SHA on the source. */
  readonly referenceShaOld: string;
  /** Header conditions that admit only ref-change deliveries. */
  readonly headerConditions: readonly TriggerCondition[];
  /** Payload conditions that admit only ref-change deliveries. */
  readonly payloadConditions: readonly TriggerCondition[];
  /** Optional JEXL condition (Harness `jexlCondition`). */
  readonly jexlCondition?: string;
  /** The events to select when registering the webhook on the provider, for humans. */
  readonly events: string;
}

const WEBHOOKS: Record<GitProvider, ProviderWebhook> = {
  [GitProvider.HARNESS_CODE]: {
    reference: '<+trigger.payload.ref.name>',
    referenceShaOld: '<+trigger.payload.old_sha>',
    headerConditions: [],
    payloadConditions: [],
    events: 'Branch created, Branch updated, Branch deleted, Tag created, Tag updated, Tag deleted',
  },
  [GitProvider.GITHUB]: {
    reference: '<+trigger.payload.ref>',
    referenceShaOld: '<+trigger.payload.before>',
    headerConditions: [{ key: "<+trigger.header['X-GitHub-Event']>", operator: 'Equals', value: 'push' }],
    payloadConditions: [],
    events: 'Just the push event',
  },
  [GitProvider.GITLAB]: {
    reference: '<+trigger.payload.ref>',
    referenceShaOld: '<+trigger.payload.before>',
    headerConditions: [{ key: "<+trigger.header['X-Gitlab-Event']>", operator: 'In', value: 'Push Hook, Tag Push Hook' }],
    payloadConditions: [],
    events: 'Push events (all branches) and Tag push events',
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
