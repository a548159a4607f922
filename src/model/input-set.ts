/**
 * The per-direction input set: the values a pair fixes for every run in one direction
 * (tokens as secret references, URLs, ref filters, two-way flag, reconcile push size).
 */
import { toYaml } from './yaml';

/** Everything `renderInputSet` needs. */
export interface InputSetModel {
  readonly identifier: string;
  readonly name: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
  readonly pipelineIdentifier: string;
  /** Harness secret reference (`id`, `org.id` or `account.id`) of the source token. */
  readonly sourceToken: string;
  readonly sourceURL: string;
  /** Harness secret reference of the target token. */
  readonly targetToken: string;
  readonly targetURL: string;
  /** Glob patterns on full ref names; empty: all branches and tags. */
  readonly refFilters: readonly string[];
  /** User name sent with the source token. */
  readonly sourceUsername: string;
  /** User name sent with the target token. */
  readonly targetUsername: string;
  readonly twoWay: boolean;
  /** Mode reconcile: the most refs one push updates. */
  readonly maxRefsPerPush: number;
}

/** One `pipeline.variables` entry of an input set or a trigger's `inputYaml`. */
export interface VariableValue {
  readonly name: string;
  readonly type: 'String' | 'Secret';
  readonly value: string;
}

/** The `pipeline:` part shared by input sets and trigger input YAML. */
export function pipelineInputs(pipelineIdentifier: string, variables: readonly VariableValue[]): Record<string, unknown> {
  return {
    identifier: pipelineIdentifier,
    variables: variables.map((v) => ({ name: v.name, type: v.type, value: v.value })),
  };
}

/** The `inputSet:` document as an object. */
export function inputSetDocument(model: InputSetModel): Record<string, unknown> {
  return {
    inputSet: {
      name: model.name,
      identifier: model.identifier,
      orgIdentifier: model.orgIdentifier,
      projectIdentifier: model.projectIdentifier,
      tags: {},
      pipeline: pipelineInputs(model.pipelineIdentifier, [
        { name: 'sourceToken', type: 'Secret', value: model.sourceToken },
        { name: 'sourceURL', type: 'String', value: model.sourceURL },
        { name: 'targetToken', type: 'Secret', value: model.targetToken },
        { name: 'targetURL', type: 'String', value: model.targetURL },
        { name: 'refFilters', type: 'String', value: model.refFilters.join(' ') },
        { name: 'sourceUsername', type: 'String', value: model.sourceUsername },
        { name: 'targetUsername', type: 'String', value: model.targetUsername },
        { name: 'twoWay', type: 'String', value: String(model.twoWay) },
        { name: 'maxRefsPerPush', type: 'String', value: String(model.maxRefsPerPush) },
      ]),
    },
  };
}

/** Renders the input set YAML. */
export function renderInputSet(model: InputSetModel): string {
  return toYaml(inputSetDocument(model));
}
