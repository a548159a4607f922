import { Annotations, TerraformOutput, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformInputSet } from '../gen/providers/harness/platform-input-set';
import { PlatformTriggers } from '../gen/providers/harness/platform-triggers';
import { renderInputSet } from '../model/input-set';
import { GitProvider, providerWebhook, validateRefPatterns, webhookSetupDescription } from '../model/providers';
import { renderScheduleTrigger, renderTrigger } from '../model/trigger';
import { SCRIPT_LIMITS } from '../model/variables';
import { credentialKind, redactedUrl, shown, undisclosed } from '../private/credentials';
import { declaringResources } from '../private/dependencies';
import { checkUnixCron, isIanaTimezone } from '../private/cron';
import { checkedAt } from '../private/errors';
import { deriveIdentifier, MAX_IDENTIFIER_LENGTH, validateIdentifier } from '../private/identifiers';
import { toName, validateName } from '../private/names';
import { claimStackName } from '../private/stack-names';
import { StoredValue } from '../private/stored-value';
import { escapeTerraformTemplate } from '../private/terraform-escape';
import { canonicalRepoUrl, validateCloneUrl } from '../private/urls';
import { MirrorPipeline } from './mirror-pipeline';
import { SecretRef } from './secret-ref';
import { checkHarnessCodeWebhook, declareWebhook, REGISTRABLE_PROVIDERS } from './webhook-registration';

/** One side of a mirrored pair. */
export interface RepoEndpoint {
  /** https clone URL of the repository, without credentials. */
  readonly url: string;
  /** The provider hosting the repository (decides how its webhooks are read). */
  readonly provider: GitProvider;
  /**
   * Harness secret holding a token for this repository: read access for a source,
   * read and write for a target (and for both sides of a two-way pair).
   */
  readonly token: SecretRef;
  /**
   * User name sent with the token (HTTP Basic). Most providers accept any name with a
   * token; Bitbucket Cloud repository, project and workspace access tokens need
   * `x-token-auth`, Bitbucket app passwords the account's user name.
   * @default 'x-token-auth' for Bitbucket Cloud, else 'git'
   */
  readonly username?: string;
}

/** Properties of a {@link RepoMirror}. */
export interface RepoMirrorProps {
  /** The pipeline that runs the mirror. */
  readonly pipeline: MirrorPipeline;
  /** The repository changes are read from. */
  readonly source: RepoEndpoint;
  /** The repository changes are written to. */
  readonly target: RepoEndpoint;
  /**
   * Mirror in both directions: a second input set and trigger with source and target swapped.
   * @default false
   */
  readonly twoWay?: boolean;
  /**
   * Mirror ref deletions: a branch or tag deleted on the source is deleted on the target
   * (only if the target still holds what the source held). The scheduled reconcile run of a
   * two-way pair never deletes.
   * @default false
   */
  readonly syncDelete?: boolean;
  /**
   * Base identifier of the pair's input sets and triggers (`<identifier>_forward`,
   * `<identifier>_reverse`).
   * @default - derived from the construct id (`ApiRepo` -> `api_repo`)
   */
  readonly identifier?: string;
  /**
   * Display name of the pair, used in the input set and trigger names.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Whether the triggers (webhook and scheduled reconcile) start runs; `false` keeps them
   * declared but paused.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The refs to mirror, as glob patterns on full ref names, e.g.
   * `['refs/heads/main', 'refs/heads/release/*', 'refs/tags/v*']`. `*` matches any
   * characters including `/`, `?` one character. The triggers do not start for other refs,
   * and the mirror script refuses them too.
   * @default - all branches and tags (`refs/heads/*`, `refs/tags/*`)
   */
  readonly refs?: string[];
  /**
   * A scheduled reconcile run per direction, for the pushes no webhook reports: it lists
   * both sides and brings every matching ref in line (see {@link ReconcileOptions}).
   * @default - no scheduled reconcile; webhooks only
   */
  readonly reconcile?: ReconcileOptions;
  /**
   * Declare the webhook on each source repository hosted on GitHub, GitLab or Harness Code,
   * pointing at its trigger's webhook URL (JSON, ref-change events only, TLS verified).
   * GitHub and GitLab need `@cdktf/provider-github` / `@cdktf/provider-gitlab` installed and
   * their providers configured in the stack (the GitHub provider's `owner` must be the
   * repository's owner). A Harness Code source gets a `harness_platform_repo_webhook`
   * through the stack's Harness provider, its repository, organization and project read
   * from the URL (`https://git.harness.io/<account>/<org>/<project>/<repo>.git`, or
   * `<account>/<org>/<repo>`, `<account>/<repo>`; another URL throws). Sources on other
   * providers are left to register by hand, with a warning; when no source of the pair can
   * be registered the construct throws.
   * @default false
   */
  readonly registerWebhook?: boolean;
  /**
   * Secret for the registered webhooks (GitHub signing secret, GitLab secret token, Harness
   * Code webhook secret), as a token such as a sensitive `TerraformVariable`'s
   * `stringValue`; literal strings are refused so the secret never sits in code or in the
   * synthesized JSON.
   * @default - no secret
   */
  readonly webhookSecret?: string;
}

/** A scheduled run that reconciles every ref of a pair, in each direction. */
export interface ReconcileOptions {
  /**
   * When to run, as a five-field UNIX cron expression, e.g. `'0 * * * *'` (hourly): minute
   * (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (0-7 or
   * SUN-SAT; 0 and 7 are Sunday), each `*`, a value, a range `a-b`, a step `/n` or a list;
   * at least 5 minutes between two runs (Harness's minimum). Harness's UNIX cron trigger
   * dialect (cron-utils' UNIX crontab): no `?`, `L`, `W` or `#`.
   */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, e.g. `'Europe/Berlin'` (exact case; `UTC` and `GMT`
   * too, no abbreviations such as `EST` or offsets). Harness applies it only where its time
   * zone support for cron triggers is enabled for the account; elsewhere schedules run in UTC.
   * @default - Harness's default (UTC)
   */
  readonly timezone?: string;
  /**
   * The most branches and tags one push of a reconcile run updates, 1 to 1000. The updates
   * go in batches of this size; a batch the target refuses for its size (a push policy such
   * as GitHub's "Limit how many branches and tags can be updated in a single push", HTTP
   * 413, a gateway timeout) is sent again in halves, and the smaller size is kept for the
   * rest of the run. Set it to the target's limit to spare the refused attempts.
   * @default 100
   */
  readonly maxRefsPerPush?: number;
}

/** The longest suffix a direction adds to a pair's identifier (Bitbucket Cloud's tag deletion trigger). */
const SUFFIX_LENGTH = '_forward_tag_delete'.length;

/** What one direction of a pair consists of. */
export interface MirrorDirectionProps {
  /** The pipeline that runs the mirror. */
  readonly pipeline: MirrorPipeline;
  /**
   * Identifier of the input set and the webhook trigger; the reconcile trigger's is
   * `<identifier>_reconcile`. Claimed on the pipeline: a second direction with the same
   * identifier throws.
   */
  readonly identifier: string;
  /** Display name of the input set and the webhook trigger. */
  readonly name: string;
  /** The repository this direction reads from. */
  readonly source: RepoEndpoint;
  /** The repository this direction writes to. */
  readonly target: RepoEndpoint;
  /**
   * Mirror ref deletions (see {@link RepoMirrorProps.syncDelete}); the reconcile run of a
   * two-way pair never deletes.
   */
  readonly syncDelete: boolean;
  /** Whether this direction is one half of a two-way pair. */
  readonly twoWay: boolean;
  /** Whether the triggers start runs; `false` keeps them declared but paused. */
  readonly enabled: boolean;
  /** The refs to mirror, as glob patterns on full ref names; empty: all branches and tags. */
  readonly refs: string[];
  /**
   * A scheduled reconcile run for this direction.
   * @default - no scheduled reconcile; webhooks only
   */
  readonly reconcile?: ReconcileOptions;
  /**
   * Declare the webhook on the source repository when it is hosted on GitHub, GitLab or
   * Harness Code; on other providers only a warning is added.
   */
  readonly registerWebhook: boolean;
  /**
   * Secret for the registered webhook, as a token.
   * @default - no secret
   */
  readonly webhookSecret?: string;
}

/**
 * One custom webhook trigger of a direction: it admits one kind of delivery of the source's
 * provider (see {@link GitProvider} and docs/providers.md) and has a webhook URL of its own.
 */
export interface WebhookTrigger {
  /** Identifier of the trigger: the direction's for its main trigger, else with a suffix such as `_tag`. */
  readonly identifier: string;
  /** The deliveries the trigger admits, for people, e.g. `tag creations and updates`. */
  readonly admits: string;
  /** The `harness_platform_triggers` resource. */
  readonly trigger: PlatformTriggers;
  /** The rendered trigger YAML, before Terraform escaping. */
  readonly yaml: string;
  /**
   * A `terraform_data` resource holding the webhook URL the provider returned when the
   * trigger was created; replaced only with the trigger, so a refresh that reads no URL back
   * does not empty the output or the registered webhook (see docs/providers.md).
   */
  readonly storedWebhookUrl: TerraformResource;
  /** Sensitive output of the webhook URL, to register on the source repository. */
  readonly webhookUrl: TerraformOutput;
  /**
   * The webhook declared on the source repository.
   * @default - none: declared only with `registerWebhook` on a GitHub, GitLab or Harness Code source
   */
  readonly webhook?: TerraformResource;
}

/**
 * One direction of a mirrored pair: the input set with tokens and URLs, the custom webhook
 * triggers on the source (one per kind of delivery its provider sends), and their webhook
 * URLs as outputs.
 */
export class MirrorDirection extends Construct {
  /** Identifier shared by the input set and the main trigger. */
  public readonly identifier: string;
  /** The `harness_platform_input_set` resource. */
  public readonly inputSet: PlatformInputSet;
  /** The main `harness_platform_triggers` resource (the first of {@link webhookTriggers}). */
  public readonly trigger: PlatformTriggers;
  /** Sensitive output of the main trigger's webhook URL, to register on the source repository. */
  public readonly webhookUrl: TerraformOutput;
  /** The rendered input set YAML, before Terraform escaping. */
  public readonly inputSetYaml: string;
  /** The rendered main trigger YAML, before Terraform escaping. */
  public readonly triggerYaml: string;
  /**
   * Every webhook trigger of the direction, the main one first: one for most providers, two
   * for Gitea / Forgejo (push and delete events), four for Bitbucket Cloud (branch and tag,
   * pushed and deleted). Each URL is registered on the source repository.
   */
  public readonly webhookTriggers: WebhookTrigger[];
  /** The scheduled reconcile trigger, when `reconcile` is set. */
  public readonly reconcileTrigger?: PlatformTriggers;
  /** The rendered reconcile trigger YAML, when `reconcile` is set. */
  public readonly reconcileTriggerYaml?: string;
  /** The webhook declared on the source repository for the main trigger, when `registerWebhook` is set and the provider allows. */
  public readonly webhook?: TerraformResource;

  constructor(scope: Construct, id: string, props: MirrorDirectionProps) {
    super(scope, id);
    const { pipeline, source, target } = props;
    this.identifier = props.identifier;
    pipeline._claimIdentifier(this.identifier, this.node.path);

    const common = {
      orgIdentifier: pipeline.orgId,
      projectIdentifier: pipeline.projectId,
      pipelineIdentifier: pipeline.identifier,
    };

    this.inputSetYaml = renderInputSet({
      ...common,
      identifier: this.identifier,
      name: props.name,
      sourceToken: source.token.reference,
      sourceURL: source.url,
      targetToken: target.token.reference,
      targetURL: target.url,
      refFilters: props.refs,
      sourceUsername: usernameOf(source),
      targetUsername: usernameOf(target),
      twoWay: props.twoWay,
      maxRefsPerPush: props.reconcile?.maxRefsPerPush ?? SCRIPT_LIMITS.DEFAULT_MAX_REFS_PER_PUSH,
    });
    this.inputSet = new PlatformInputSet(this, 'InputSet', {
      identifier: this.identifier,
      name: props.name,
      orgId: pipeline.orgId,
      projectId: pipeline.projectId,
      // A reference, not the literal identifier: Terraform creates the pipeline first.
      pipelineId: pipeline.pipeline.identifier,
      yaml: escapeTerraformTemplate(this.inputSetYaml),
      // The YAML names the token secrets; those declared in the stack are created first.
      dependsOn: declaringResources([source.token, target.token]),
    });

    const webhook = providerWebhook(source.provider);
    const registrable = props.registerWebhook && REGISTRABLE_PROVIDERS.includes(source.provider);
    this.webhookTriggers = webhook.shapes.map((shape) => {
      const identifier = shape.suffix === '' ? this.identifier : `${this.identifier}_${shape.suffix}`;
      pipeline._claimIdentifier(identifier, this.node.path);
      // Construct ids: `Trigger`, `WebhookUrl`... for the main trigger (as before shapes
      // existed, so logical ids stay), `TagTrigger`, `TagWebhookUrl`... for the others.
      const prefix = shape.suffix.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
      const name = shape.suffix === '' ? props.name : toName(`${props.name} ${shape.suffix.replace(/_/g, ' ')}`);
      // A provider with one kind of delivery keeps the description it had before kinds existed.
      const what = webhook.shapes.length === 1 ? 'every ref change pushed to' : `${shape.description} on`;
      const description = `Mirrors ${source.url} to ${target.url} on ${what} the source.`;
      const yaml = renderTrigger({
        ...common,
        identifier,
        name,
        description,
        inputSetIdentifier: this.identifier,
        shape,
        syncDelete: props.syncDelete,
        enabled: props.enabled,
        refPatterns: props.refs,
      });
      const trigger = new PlatformTriggers(this, `${prefix}Trigger`, {
        identifier,
        name,
        description,
        orgId: pipeline.orgId,
        projectId: pipeline.projectId,
        targetId: pipeline.pipeline.identifier,
        yaml: escapeTerraformTemplate(yaml),
        // The YAML names the input set by identifier.
        dependsOn: [this.inputSet],
      });
      const storedWebhookUrl = storeWebhookUrl(this, `${prefix}StoredWebhookUrl`, trigger);
      const url = storedWebhookUrl.output.lookup('webhook_url') as string;
      const declared = registrable
        ? declareWebhook(this, `${prefix}Webhook`, {
          provider: source.provider,
          repoUrl: source.url,
          repoUrlProp: 'source.url',
          webhookUrl: url,
          identifier,
          description: `Starts the mirror trigger ${identifier}: ${source.url} to ${target.url}.`,
          secret: props.webhookSecret,
        })
        : undefined;
      const output = new TerraformOutput(this, `${prefix}WebhookUrl`, {
        value: url,
        sensitive: true,
        description: `Webhook URL of trigger ${identifier} (${shape.description}) for ${source.url}. ${webhookSetupDescription(source.provider)} Sensitive: anyone holding it can start the mirror.`,
      });
      // A readable, stable name (`terraform output -raw api_forward_webhook_url`), from the
      // trigger identifier rather than the construct path.
      const outputName = `${identifier}_webhook_url`;
      claimStackName(this, 'output', outputName, 'pairs of different pipelines in one stack need different identifiers: set `identifier` on one of them');
      output.overrideLogicalId(outputName);
      return { identifier, admits: shape.description, trigger, yaml, storedWebhookUrl, webhookUrl: output, webhook: declared };
    });
    const main = this.webhookTriggers[0];
    this.trigger = main.trigger;
    this.triggerYaml = main.yaml;
    this.webhookUrl = main.webhookUrl;
    this.webhook = main.webhook;

    if (props.reconcile) {
      // Two-way pairs only fast-forward and never delete in a reconcile run.
      const syncDelete = props.syncDelete && !props.twoWay;
      const reconcileIdentifier = `${this.identifier}_reconcile`;
      pipeline._claimIdentifier(reconcileIdentifier, this.node.path);
      const reconcileDescription = `Reconciles every ref of ${source.url} into ${target.url} on a schedule.`;
      this.reconcileTriggerYaml = renderScheduleTrigger({
        ...common,
        identifier: reconcileIdentifier,
        name: toName(`${props.name} reconcile`),
        description: reconcileDescription,
        inputSetIdentifier: this.identifier,
        schedule: props.reconcile.schedule,
        timezone: props.reconcile.timezone,
        syncDelete,
        enabled: props.enabled,
      });
      this.reconcileTrigger = new PlatformTriggers(this, 'ReconcileTrigger', {
        identifier: reconcileIdentifier,
        name: toName(`${props.name} reconcile`),
        description: reconcileDescription,
        orgId: pipeline.orgId,
        projectId: pipeline.projectId,
        targetId: pipeline.pipeline.identifier,
        yaml: escapeTerraformTemplate(this.reconcileTriggerYaml),
        dependsOn: [this.inputSet],
      });
    }

    if (props.registerWebhook && !registrable) {
      Annotations.of(this).addWarning(
        `registerWebhook: webhooks on ${webhook.displayName} cannot be declared here; register the webhook URL output${this.webhookTriggers.length > 1 ? 's' : ''} of ${this.node.path} on ${source.url} by hand.`,
      );
    }
  }
}

/**
 * Keeps a trigger's `webhook_url` as the provider returned it on creation. The provider
 * copies `webhook_url` from every response it reads, and Harness's trigger GET response
 * (harness-core `NGTriggerResponseDTO`) carries no webhook URL, so a refresh may read it back
 * empty; a `terraform_data` resource that ignores later changes of its input keeps the URL,
 * and is replaced (taking the new URL) only when the trigger's id changes, i.e. when the
 * trigger is replaced.
 */
function storeWebhookUrl(scope: Construct, id: string, trigger: PlatformTriggers): StoredValue {
  return new StoredValue(scope, id, {
    input: { webhook_url: trigger.webhookUrl },
    triggersReplace: { trigger_id: trigger.id },
    lifecycle: { ignoreChanges: ['input'] },
  });
}

/**
 * A pair of repositories kept in sync by a {@link MirrorPipeline}: one direction
 * (source -> target) or, with `twoWay`, both.
 */
export class RepoMirror extends Construct {
  /** Base identifier of the pair. */
  public readonly identifier: string;
  /** Source -> target. */
  public readonly forward: MirrorDirection;
  /** Target -> source, for a two-way pair. */
  public readonly reverse?: MirrorDirection;
  /** Every direction of the pair, forward first. */
  public readonly directions: MirrorDirection[];

  constructor(scope: Construct, id: string, props: RepoMirrorProps) {
    super(scope, id);
    const { identifier, name, twoWay } = checkedAt(this, () => checkProps(id, props));
    this.identifier = identifier;
    const shared = {
      reconcile: props.reconcile,
      registerWebhook: props.registerWebhook ?? false,
      webhookSecret: props.webhookSecret,
      refs: props.refs ?? [],
      pipeline: props.pipeline,
      syncDelete: props.syncDelete ?? false,
      twoWay,
      enabled: props.enabled ?? true,
    };

    this.forward = new MirrorDirection(this, 'Forward', {
      ...shared,
      identifier: `${this.identifier}_forward`,
      name: toName(`${name} - ${describe(props.source)} to ${describe(props.target)}`),
      source: props.source,
      target: props.target,
    });
    if (twoWay) {
      this.reverse = new MirrorDirection(this, 'Reverse', {
        ...shared,
        identifier: `${this.identifier}_reverse`,
        name: toName(`${name} - ${describe(props.target)} to ${describe(props.source)}`),
        source: props.target,
        target: props.source,
      });
    }
    this.directions = this.reverse ? [this.forward, this.reverse] : [this.forward];
  }
}

/** Checks the props of a {@link RepoMirror}; returns the pair's identifier, name and mode. */
function checkProps(id: string, props: RepoMirrorProps): { identifier: string; name: string; twoWay: boolean } {
  if (!props.pipeline) {
    throw new Error('pipeline is required');
  }
  checkEndpoint('source', props.source);
  checkEndpoint('target', props.target);
  if (canonicalRepoUrl(props.source.url) === canonicalRepoUrl(props.target.url)) {
    throw new Error(
      `source.url and target.url name the same repository (${redactedUrl(props.source.url)} and ${redactedUrl(props.target.url)})`,
    );
  }

  const maxBase = MAX_IDENTIFIER_LENGTH - SUFFIX_LENGTH;
  if (props.identifier !== undefined) {
    validateIdentifier('identifier', props.identifier);
    if (props.identifier.length > maxBase) {
      throw new Error(`identifier may have at most ${maxBase} characters (a direction suffix is added), got ${shown(props.identifier)}`);
    }
  }
  const identifier = props.identifier ?? deriveIdentifier('identifier', id, maxBase);
  if (props.name !== undefined) {
    validateName('name', props.name);
  }
  const name = props.name ?? toName(id);
  const twoWay = props.twoWay ?? false;
  if (props.refs !== undefined) {
    validateRefPatterns(props.refs, 'refs');
  }
  if (props.reconcile !== undefined) {
    checkSchedule(props.reconcile);
  }
  if (props.webhookSecret !== undefined && !Token.isUnresolved(props.webhookSecret)) {
    throw new Error('webhookSecret must be a token (e.g. a sensitive TerraformVariable\'s stringValue), not a literal string: a literal would be written into the synthesized configuration');
  }
  if (props.registerWebhook && ![props.source.provider, ...(twoWay ? [props.target.provider] : [])].some((p) => REGISTRABLE_PROVIDERS.includes(p))) {
    throw new Error(
      `registerWebhook: no source of this pair is on ${REGISTRABLE_PROVIDERS.slice(0, -1).join(', ')} or ${REGISTRABLE_PROVIDERS[REGISTRABLE_PROVIDERS.length - 1]} (source is ${props.source.provider}${twoWay ? `, reverse source is ${props.target.provider}` : ''}); register the webhook URL outputs by hand`,
    );
  }
  if (props.registerWebhook) {
    // A Harness Code source's webhook names its repository by the URL's path: check it
    // here, naming the pair's own prop (the reverse direction's source is `target`).
    const sources: Array<[string, RepoEndpoint, string]> = [['source.url', props.source, `${identifier}_forward`]];
    if (twoWay) {
      sources.push(['target.url', props.target, `${identifier}_reverse`]);
    }
    for (const [prop, endpoint, triggerIdentifier] of sources) {
      if (endpoint.provider === GitProvider.HARNESS_CODE) {
        checkHarnessCodeWebhook(prop, endpoint.url, triggerIdentifier);
      }
    }
  }
  return { identifier, name, twoWay };
}

function describe(endpoint: RepoEndpoint): string {
  return providerWebhook(endpoint.provider).displayName;
}

function usernameOf(endpoint: RepoEndpoint): string {
  return endpoint.username ?? (endpoint.provider === GitProvider.BITBUCKET_CLOUD ? 'x-token-auth' : 'git');
}

function checkEndpoint(prop: string, endpoint: RepoEndpoint | undefined): void {
  if (!endpoint) {
    throw new Error(`${prop} is required`);
  }
  validateCloneUrl(`${prop}.url`, endpoint.url);
  if (endpoint.username !== undefined && !Token.isUnresolved(endpoint.username)) {
    if (typeof endpoint.username === 'string' && credentialKind(endpoint.username) !== undefined) {
      throw new Error(`${prop}.username is a user name, got ${undisclosed(endpoint.username)}; the token belongs in the Harness secret of ${prop}.token`);
    }
    if (!/^[A-Za-z0-9._@+-]+$/.test(endpoint.username) || endpoint.username.length > SCRIPT_LIMITS.MAX_USERNAME_LENGTH) {
      throw new Error(`${prop}.username must be 1 to ${SCRIPT_LIMITS.MAX_USERNAME_LENGTH} letters, digits or . _ @ + -, got ${shown(endpoint.username)}`);
    }
  }
  if (!Object.values(GitProvider).includes(endpoint.provider)) {
    throw new Error(`${prop}.provider must be a GitProvider, got ${shown(endpoint.provider)}`);
  }
  if (!(endpoint.token instanceof SecretRef)) {
    // The value is not echoed: a string here may well be the token itself.
    throw new Error(`${prop}.token is required: a SecretRef to the Harness secret holding the token for ${redactedUrl(endpoint.url)}, got ${undisclosed(endpoint.token)}`);
  }
}

function checkSchedule(options: ReconcileOptions): void {
  const schedule = options.schedule;
  if (!Token.isUnresolved(schedule)) {
    try {
      if (typeof schedule !== 'string') {
        throw new Error('is not a string');
      }
      checkUnixCron(schedule);
    } catch (e) {
      throw new Error(
        `reconcile.schedule must be a five-field UNIX cron expression as Harness reads it, such as '0 * * * *', got ${shown(schedule)}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
  if (options.timezone !== undefined && !Token.isUnresolved(options.timezone) && (typeof options.timezone !== 'string' || !isIanaTimezone(options.timezone))) {
    throw new Error(`reconcile.timezone must be an IANA time zone such as 'Europe/Berlin' or 'UTC', got ${shown(options.timezone)}`);
  }
  const max = options.maxRefsPerPush;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= SCRIPT_LIMITS.MAX_MAX_REFS_PER_PUSH)) {
    throw new Error(`reconcile.maxRefsPerPush must be a whole number from 1 to ${SCRIPT_LIMITS.MAX_MAX_REFS_PER_PUSH}, got ${shown(max)}`);
  }
}
