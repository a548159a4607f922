/**
 * Helpers to synthesize stacks and examples and read resources back from the JSON.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { HarnessProvider } from '../../src';
import { buildApp as buildGithubToHarness } from '../../examples/github-to-harness/main';
import { buildApp as buildManyPairs } from '../../examples/many-pairs/main';
import { buildApp as buildOneWay } from '../../examples/one-way/main';
import { buildApp as buildPlatform } from '../../examples/platform-stack/main';
import { buildApp as buildTwoWay } from '../../examples/two-way/main';

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

/** An example app: its name (its folder under examples/), how to build it, and its stack's name. */
export type Example = readonly [name: string, buildApp: (app: App) => App, stackName: string];

/** Every example app under examples/. */
export const EXAMPLES: readonly Example[] = [
  ['one-way', buildOneWay, 'one-way-mirror'],
  ['two-way', buildTwoWay, 'two-way-mirror'],
  ['github-to-harness', buildGithubToHarness, 'github-to-harness'],
  ['many-pairs', buildManyPairs, 'many-pairs'],
  ['platform-stack', buildPlatform, 'platform'],
];
