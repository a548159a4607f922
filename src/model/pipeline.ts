/**
 * The mirror pipeline as a plain model and its rendering to a Harness `pipeline:` YAML
 * document: a CI pipeline with one Build stage (clone codebase disabled) running the
 * mirror script in one Run step, plus the pipeline variables.
 */
import { PIPELINE_VARIABLES } from './variables';
import { toYaml } from './yaml';

/** Harness Cloud build infrastructure (Harness-hosted VMs). */
export interface CloudInfrastructureModel {
  readonly kind: 'cloud';
  /** `platform.os`, e.g. `Linux`. */
  readonly os: string;
  /** `platform.arch`, e.g. `Amd64`. */
  readonly arch: string;
}

/** A Kubernetes cluster build infrastructure (`KubernetesDirect`). */
export interface KubernetesInfrastructureModel {
  readonly kind: 'kubernetes';
  /** Kubernetes cluster connector reference. */
  readonly connectorRef: string;
  /** Namespace the build pods run in. */
  readonly namespace: string;
  /** Image with git and a POSIX shell for the Run step. */
  readonly image: string;
  /** Container registry connector the image is pulled with. */
  readonly imageConnectorRef: string;
}

/** Where the pipeline's Build stage runs. */
export type InfrastructureModel = CloudInfrastructureModel | KubernetesInfrastructureModel;

/** A notification rule rendered under `pipeline.notificationRules`. */
export type NotificationRuleModel = Record<string, unknown>;

/** Everything `renderPipeline` needs. */
export interface PipelineModel {
  readonly identifier: string;
  readonly name: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
  readonly description?: string;
  readonly infrastructure: InfrastructureModel;
  /** The mirror script, embedded verbatim as the Run step's command. */
  readonly script: string;
  readonly notificationRules?: readonly NotificationRuleModel[];
}

/** Identifier of the Build stage. */
export const STAGE_IDENTIFIER = 'mirror';
/** Identifier of the Run step. */
export const STEP_IDENTIFIER = 'mirror';

/** The Run step's environment: each script input arrives as an env var, never as command text. */
export function runStepEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of PIPELINE_VARIABLES) {
    env[v.env] = `<+pipeline.variables.${v.name}>`;
  }
  return env;
}

/** The `pipeline:` document as an object, keys in Harness's order. */
export function pipelineDocument(model: PipelineModel): Record<string, unknown> {
  const infra = model.infrastructure;
  const stageSpec: Record<string, unknown> = { cloneCodebase: false };
  const stepSpec: Record<string, unknown> = {};
  if (infra.kind === 'cloud') {
    stageSpec.platform = { os: infra.os, arch: infra.arch };
    stageSpec.runtime = { type: 'Cloud', spec: {} };
  } else {
    stageSpec.infrastructure = {
      type: 'KubernetesDirect',
      spec: {
        connectorRef: infra.connectorRef,
        namespace: infra.namespace,
        automountServiceAccountToken: false,
        nodeSelector: {},
        os: 'Linux',
      },
    };
    stepSpec.connectorRef = infra.imageConnectorRef;
    stepSpec.image = infra.image;
  }
  stepSpec.shell = 'Sh';
  stepSpec.command = model.script;
  stepSpec.envVariables = runStepEnvironment();
  stageSpec.execution = {
    steps: [
      {
        step: {
          type: 'Run',
          name: 'Mirror ref',
          identifier: STEP_IDENTIFIER,
          spec: stepSpec,
        },
      },
    ],
  };
  return {
    pipeline: {
      name: model.name,
      identifier: model.identifier,
      projectIdentifier: model.projectIdentifier,
      orgIdentifier: model.orgIdentifier,
      description: model.description,
      tags: {},
      stages: [
        {
          stage: {
            name: 'Mirror',
            identifier: STAGE_IDENTIFIER,
            description: '',
            type: 'CI',
            spec: stageSpec,
          },
        },
      ],
      notificationRules: model.notificationRules && model.notificationRules.length > 0 ? model.notificationRules : undefined,
      variables: PIPELINE_VARIABLES.map((v) => ({
        name: v.name,
        type: v.type,
        description: v.description,
        required: v.required,
        value: v.value,
      })),
    },
  };
}

/** Renders the pipeline YAML. */
export function renderPipeline(model: PipelineModel): string {
  return toYaml(pipelineDocument(model));
}
