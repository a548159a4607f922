/**
 * The custom webhook triggers of a direction, one per payload shape of the source
 * provider: each starts the mirror pipeline with the direction's input set, and maps its
 * shape of delivery onto `reference` / `referenceShaOld`. Also the scheduled reconcile trigger.
 */
import { pipelineInputs, VariableValue, variableValue } from './input-set';
import { triggerConditions, WebhookShape } from './providers';
import { toYaml } from './yaml';

/** What every mirror trigger has: where it lives, what it starts, with which input set. */
export interface TriggerBase {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
  readonly pipelineIdentifier: string;
  readonly inputSetIdentifier: string;
  /** Whether the trigger is enabled. */
  readonly enabled: boolean;
}

/** A `trigger:` document, keys in Harness's order, around a trigger-specific source and inputs. */
function triggerEnvelope(model: TriggerBase, source: Record<string, unknown>, inputs: readonly VariableValue[]): Record<string, unknown> {
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
      source,
      inputSetRefs: [model.inputSetIdentifier],
      inputYaml: toYaml({ pipeline: pipelineInputs(model.pipelineIdentifier, inputs) }),
    },
  };
}

/** Everything `renderTrigger` needs. */
export interface TriggerModel extends TriggerBase {
  /** The kind of delivery of the source's provider this trigger admits and maps. */
  readonly shape: WebhookShape;
  /** Whether a ref deletion on the source is mirrored. */
  readonly syncDelete: boolean;
  /** Glob patterns on full ref names the trigger admits; empty: all branches and tags. */
  readonly refPatterns: readonly string[];
}

/** The webhook trigger's per-event inputs, on top of the input set. */
function webhookInputs(model: TriggerModel): VariableValue[] {
  return [
    variableValue('reference', model.shape.reference),
    variableValue('referenceShaOld', model.shape.referenceShaOld),
    variableValue('syncDelete', String(model.syncDelete)),
    variableValue('mode', 'ref'),
  ];
}

/** The `trigger:` document as an object, keys in Harness's order. */
export function triggerDocument(model: TriggerModel): Record<string, unknown> {
  const conditions = triggerConditions(model.shape, model.refPatterns.length > 0 ? model.refPatterns : undefined);
  const source = {
    type: 'Webhook',
    spec: {
      type: 'Custom',
      spec: {
        payloadConditions: conditions.payloadConditions.map((c) => ({ key: c.key, operator: c.operator, value: c.value })),
        headerConditions: conditions.headerConditions.map((c) => ({ key: c.key, operator: c.operator, value: c.value })),
        jexlCondition: conditions.jexlCondition,
      },
    },
  };
  return triggerEnvelope(model, source, webhookInputs(model));
}

/** Renders the trigger YAML. */
export function renderTrigger(model: TriggerModel): string {
  return toYaml(triggerDocument(model));
}

/** Everything `renderScheduleTrigger` needs: a cron trigger that runs the pipeline in reconcile mode. */
export interface ScheduleTriggerModel extends TriggerBase {
  /** UNIX cron expression (five fields). */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. `Europe/Berlin`. */
  readonly timezone?: string;
  /** Whether refs gone on the source are deleted on the target (one-way pairs only). */
  readonly syncDelete: boolean;
}

/** The `reference` value of a reconcile run: every ref the pair's filters admit. */
export const RECONCILE_REFERENCE = 'refs/*';

/** The `trigger:` document of a reconcile schedule, as an object. */
export function scheduleTriggerDocument(model: ScheduleTriggerModel): Record<string, unknown> {
  const source = {
    type: 'Scheduled',
    spec: {
      type: 'Cron',
      spec: { type: 'UNIX', expression: model.schedule, timezone: model.timezone },
    },
  };
  return triggerEnvelope(model, source, [
    variableValue('reference', RECONCILE_REFERENCE),
    variableValue('referenceShaOld', ''),
    variableValue('syncDelete', String(model.syncDelete)),
    variableValue('mode', 'reconcile'),
  ]);
}

/** Renders the reconcile schedule trigger YAML. */
export function renderScheduleTrigger(model: ScheduleTriggerModel): string {
  return toYaml(scheduleTriggerDocument(model));
}
