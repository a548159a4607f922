/**
 * The per-direction custom webhook trigger: starts the mirror pipeline with the
 * direction's input set, and maps the source provider's push payload onto
 * `reference` / `referenceShaOld`.
 */
import { pipelineInputs } from './input-set';
import { GitProvider, providerWebhook, triggerConditions } from './providers';
import { toYaml } from './yaml';

/** Everything `renderTrigger` needs. */
export interface TriggerModel {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
  readonly pipelineIdentifier: string;
  readonly inputSetIdentifier: string;
  /** The provider hosting the source repo: decides payload mapping and conditions. */
  readonly sourceProvider: GitProvider;
  /** Whether a ref deletion on the source is mirrored. */
  readonly syncDelete: boolean;
  /** Glob patterns on full ref names the trigger admits; empty: all branches and tags. */
  readonly refPatterns: readonly string[];
  /** Whether the trigger is enabled. */
  readonly enabled: boolean;
}

/** The trigger's `inputYaml`: the per-event inputs, on top of the input set. */
export function triggerInputYaml(model: TriggerModel): string {
  const webhook = providerWebhook(model.sourceProvider);
  return toYaml({
    pipeline: pipelineInputs(model.pipelineIdentifier, [
      { name: 'reference', type: 'String', value: webhook.reference },
      { name: 'referenceShaOld', type: 'String', value: webhook.referenceShaOld },
      { name: 'syncDelete', type: 'String', value: String(model.syncDelete) },
      { name: 'mode', type: 'String', value: 'ref' },
    ]),
  });
}

/** The `trigger:` document as an object, keys in Harness's order. */
export function triggerDocument(model: TriggerModel): Record<string, unknown> {
  const conditions = triggerConditions(model.sourceProvider, model.refPatterns.length > 0 ? model.refPatterns : undefined);
  return {
    trigger: {
      name: model.name,
      identifier: model.identifier,
      enabled: model.enabled,
      description: model.description ?? '',
      tags: {},
      orgIdentifier: model.orgIdentifier,
      projectIdentifier: model.projectIdentifier,
      pipelineIdentifier: model.pipelineIdentifier,
      source: {
        type: 'Webhook',
        spec: {
          type: 'Custom',
          spec: {
            payloadConditions: conditions.payloadConditions.map((c) => ({ key: c.key, operator: c.operator, value: c.value })),
            headerConditions: conditions.headerConditions.map((c) => ({ key: c.key, operator: c.operator, value: c.value })),
            jexlCondition: conditions.jexlCondition,
          },
        },
      },
      inputSetRefs: [model.inputSetIdentifier],
      inputYaml: triggerInputYaml(model),
    },
  };
}

/** Renders the trigger YAML. */
export function renderTrigger(model: TriggerModel): string {
  return toYaml(triggerDocument(model));
}

/** Everything `renderScheduleTrigger` needs: a cron trigger that runs the pipeline in reconcile mode. */
export interface ScheduleTriggerModel {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
  readonly pipelineIdentifier: string;
  readonly inputSetIdentifier: string;
  /** UNIX cron expression (five fields). */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. `Europe/Berlin`. */
  readonly timezone?: string;
  /** Whether refs gone on the source are deleted on the target (one-way pairs only). */
  readonly syncDelete: boolean;
  readonly enabled: boolean;
}

/** The `reference` value of a reconcile run: every ref the pair's filters admit. */
export const RECONCILE_REFERENCE = 'refs/*';

/** The `trigger:` document of a reconcile schedule, as an object. */
export function scheduleTriggerDocument(model: ScheduleTriggerModel): Record<string, unknown> {
  return {
    trigger: {
      name: model.name,
      identifier: model.identifier,
      enabled: model.enabled,
      description: model.description ?? '',
      tags: {},
      orgIdentifier: model.orgIdentifier,
      projectIdentifier: model.projectIdentifier,
      pipelineIdentifier: model.pipelineIdentifier,
      source: {
        type: 'Scheduled',
        spec: {
          type: 'Cron',
          spec: { type: 'UNIX', expression: model.schedule, timezone: model.timezone },
        },
      },
      inputSetRefs: [model.inputSetIdentifier],
      inputYaml: toYaml({
        pipeline: pipelineInputs(model.pipelineIdentifier, [
          { name: 'reference', type: 'String', value: RECONCILE_REFERENCE },
          { name: 'referenceShaOld', type: 'String', value: '' },
          { name: 'syncDelete', type: 'String', value: String(model.syncDelete) },
          { name: 'mode', type: 'String', value: 'reconcile' },
        ]),
      }),
    },
  };
}

/** Renders the reconcile schedule trigger YAML. */
export function renderScheduleTrigger(model: ScheduleTriggerModel): string {
  return toYaml(scheduleTriggerDocument(model));
}
