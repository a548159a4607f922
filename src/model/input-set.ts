/**
 * The per-direction input set: the values a pair fixes for every run in one direction
 * (tokens as secret references, URLs, ref filters, two-way flag, reconcile push size).
 */
import { PipelineVariableName, pipelineVariable } from './variables';
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
  readonly name: PipelineVariableName;
  readonly type: 'String' | 'Secret';
  readonly value: string;
}

/** The value of pipeline variable `name`, with its type from the variables table. */
export function variableValue(name: PipelineVariableName, value: string): VariableValue {
  return { name, type: pipelineVariable(name).type, value };
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
        variableValue('sourceToken', model.sourceToken),
        variableValue('sourceURL', model.sourceURL),
        variableValue('targetToken', model.targetToken),
        variableValue('targetURL', model.targetURL),
        variableValue('refFilters', model.refFilters.join(' ')),
        variableValue('sourceUsername', model.sourceUsername),
        variableValue('targetUsername', model.targetUsername),
        variableValue('twoWay', String(model.twoWay)),
        variableValue('maxRefsPerPush', String(model.maxRefsPerPush)),
      ]),
    },
  };
}

/** Renders the input set YAML. */
export function renderInputSet(model: InputSetModel): string {
  return toYaml(inputSetDocument(model));
}
