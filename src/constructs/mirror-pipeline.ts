import { Construct } from 'constructs';
import { PlatformPipeline } from '../gen/providers/harness/platform-pipeline';
import { NotificationRuleModel, PipelineModel, renderPipeline } from '../model/pipeline';
import { shown } from '../private/credentials';
import { declaringResources } from '../private/dependencies';
import { checkedAt } from '../private/errors';
import { validateIdentifier } from '../private/identifiers';
import { validateName } from '../private/names';
import { mirrorScript } from '../private/script';
import { escapeTerraformTemplate } from '../private/terraform-escape';
import { BuildInfrastructure } from './build-infrastructure';
import { NotificationRule } from './notification-rule';

/** Properties of a {@link MirrorPipeline}. */
export interface MirrorPipelineProps {
  /** Harness organization the pipeline lives in. */
  readonly orgId: string;
  /** Harness project the pipeline lives in. */
  readonly projectId: string;
  /**
   * Identifier of the pipeline.
   * @default 'repo_mirror'
   */
  readonly identifier?: string;
  /**
   * Display name of the pipeline.
   * @default 'Repo mirror'
   */
  readonly name?: string;
  /**
   * Description of the pipeline.
   * @default - none
   */
  readonly description?: string;
  /**
   * Where the Build stage runs.
   * @default BuildInfrastructure.harnessCloud()
   */
  readonly infrastructure?: BuildInfrastructure;
  /**
   * Who is told about runs, and when; see {@link NotificationRule}.
   * @default - no notifications: a failed mirror is only visible in the execution history
   */
  readonly notifications?: NotificationRule[];
}

/**
 * The Harness CI pipeline that mirrors one ref (or, in reconcile mode, every ref) from a
 * source repository to a target repository. One pipeline serves any number of
 * {@link RepoMirror} pairs: each pair supplies its repositories through input sets and
 * triggers.
 */
export class MirrorPipeline extends Construct {
  /** The `harness_platform_pipeline` resource. */
  public readonly pipeline: PlatformPipeline;
  /** Identifier of the pipeline. */
  public readonly identifier: string;
  /** Organization of the pipeline. */
  public readonly orgId: string;
  /** Project of the pipeline. */
  public readonly projectId: string;
  /** The rendered pipeline YAML, before Terraform escaping. */
  public readonly yaml: string;

  private readonly claimed = new Map<string, string>();

  constructor(scope: Construct, id: string, props: MirrorPipelineProps) {
    super(scope, id);
    this.identifier = props.identifier ?? 'repo_mirror';
    this.orgId = props.orgId;
    this.projectId = props.projectId;
    const name = props.name ?? 'Repo mirror';
    const notifications = props.notifications ?? [];
    const notificationRules = checkedAt(this, () => {
      validateIdentifier('orgId', props.orgId);
      validateIdentifier('projectId', props.projectId);
      validateIdentifier('identifier', this.identifier);
      validateName('name', name);
      return renderNotifications(notifications);
    });

    const model: PipelineModel = {
      identifier: this.identifier,
      name,
      orgIdentifier: props.orgId,
      projectIdentifier: props.projectId,
      description: props.description,
      infrastructure: (props.infrastructure ?? BuildInfrastructure.harnessCloud())._model,
      script: mirrorScript(),
      notificationRules,
    };
    this.yaml = renderPipeline(model);

    this.pipeline = new PlatformPipeline(this, 'Pipeline', {
      identifier: this.identifier,
      name,
      description: props.description,
      orgId: props.orgId,
      projectId: props.projectId,
      yaml: escapeTerraformTemplate(this.yaml),
      // The pipeline names the secrets of its notification rules by identifier.
      dependsOn: declaringResources(notifications.flatMap((rule) => rule._secrets)),
    });
  }

  /**
   * Reserves an input set / trigger identifier for `owner` (a construct path). Throws,
   * naming both owners, when another pair already derived the same identifier.
   * @internal
   */
  public _claimIdentifier(identifier: string, owner: string): void {
    const previous = this.claimed.get(identifier);
    if (previous !== undefined && previous !== owner) {
      throw new Error(
        `identifier ${shown(identifier)} of ${owner} is already used by ${previous} on pipeline ${shown(this.identifier)}; give one of them an explicit identifier`,
      );
    }
    this.claimed.set(identifier, owner);
  }
}

function renderNotifications(rules: readonly NotificationRule[]): NotificationRuleModel[] {
  const seen = new Set<string>();
  return rules.map((rule, i) => {
    if (!(rule instanceof NotificationRule)) {
      throw new Error(`notifications[${i}] must be a NotificationRule (NotificationRule.slack(...) or NotificationRule.email(...))`);
    }
    if (seen.has(rule.identifier)) {
      throw new Error(`notifications[${i}]: identifier ${shown(rule.identifier)} is used by an earlier rule; give it another name or identifier`);
    }
    seen.add(rule.identifier);
    return rule._render();
  });
}
