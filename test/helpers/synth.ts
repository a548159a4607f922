/**
 * Helpers to synthesize stacks and examples and read resources back from the JSON.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { HarnessProvider } from '../../src';

/** A synthesized stack's parsed `cdk.tf.json`. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider?: Record<string, unknown>;
  readonly terraform?: Record<string, unknown>;
}

/** Synthesizes `stack` (running validations) and parses the result. */
export function synthStack(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
}

/** The resources of one type, by logical id, sorted by id. */
export function resourcesOfType(synth: SynthesizedStack, type: string): Array<Record<string, unknown>> {
  const byId = synth.resource?.[type] ?? {};
  return Object.keys(byId).sort().map((k) => byId[k]);
}

/** A fresh app + stack with a Harness provider, for a test. */
export function newStack(id: string = 'test'): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new HarnessProvider(stack, 'harness', {});
  return stack;
}

/** Runs an example's `buildApp` on a test app and returns the named stack's JSON. */
export function synthExample(buildApp: (app: App) => App, stackName: string): SynthesizedStack {
  const app = buildApp(Testing.app());
  const stack = app.node.findChild(stackName) as TerraformStack;
  return synthStack(stack);
}

/** One entry of `pipeline.variables` in a rendered YAML document. */
export interface YamlVariable {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly required?: boolean;
}
