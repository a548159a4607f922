/**
 * The mirror Run step exactly as an example stack synthesizes it: the pipeline YAML is
 * taken from the synthesized Terraform JSON, un-escaped by the real terraform binary
 * (as Harness would receive it), parsed, and its Run step returned.
 */
import { App } from 'cdktf';
import * as YAML from 'yaml';
import { buildApp as buildOneWay } from '../../examples/one-way/main';
import { buildApp as buildTwoWay } from '../../examples/two-way/main';
import { resourcesOfType, synthExample } from './synth';
import { evaluateWithTerraform } from './terraform';

/** The parts of a Harness Run step that decide what runs and with which inputs. */
export interface RunStepSpec {
  /** `spec.shell` (`Sh`, `Bash`). */
  readonly shell: string;
  /** `spec.command`, before Harness resolves its expressions. */
  readonly command: string;
  /** `spec.envVariables`, before Harness resolves their expressions. */
  readonly envVariables: Record<string, string>;
}



const EXAMPLES: Record<string, { buildApp: (app: App) => App; stack: string }> = {
  'one-way': { buildApp: buildOneWay, stack: 'one-way-mirror' },
  'two-way': { buildApp: buildTwoWay, stack: 'two-way-mirror' },
};

const cache = new Map<string, RunStepSpec>();

/** The Run step of the named example's pipeline (cached per process). */
export function exampleRunStep(example: string = 'two-way'): RunStepSpec {
  const hit = cache.get(example);
  if (hit) {
    return hit;
  }
  const spec = EXAMPLES[example];
  if (!spec) {
    throw new Error(`unknown example '${example}'; known: ${Object.keys(EXAMPLES).join(', ')}`);
  }
  const synth = synthExample(spec.buildApp, spec.stack);
  const [pipeline] = resourcesOfType(synth, 'harness_platform_pipeline');
  const { yaml } = evaluateWithTerraform({ yaml: pipeline.yaml as string });
  const steps = YAML.parse(yaml).pipeline.stages[0].stage.spec.execution.steps;
  const step = steps[0].step.spec as RunStepSpec;
  const result: RunStepSpec = { shell: step.shell, command: step.command, envVariables: step.envVariables };
  cache.set(example, result);
  return result;
}
