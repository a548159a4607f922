/**
 * The examples are real cdktf apps: each one synthesizes, with the resources its mode
 * calls for.
 */
import { buildApp as buildOneWay } from '../examples/one-way/main';
import { buildApp as buildTwoWay } from '../examples/two-way/main';
import { resourcesOfType, synthExample } from './helpers/synth';

describe('examples', () => {
  test('one-way: one pipeline, one input set, one trigger, one webhook URL output', () => {
    const synth = synthExample(buildOneWay, 'one-way-mirror');
    expect(resourcesOfType(synth, 'harness_platform_pipeline')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_input_set')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(1);
    expect(Object.keys(synth.output ?? {})).toHaveLength(1);
    expect(Object.keys(synth.provider ?? {})).toEqual(['harness']);
  });

  test('two-way: one pipeline, two input sets, two triggers, two webhook URL outputs', () => {
    const synth = synthExample(buildTwoWay, 'two-way-mirror');
    expect(resourcesOfType(synth, 'harness_platform_pipeline')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_input_set')).toHaveLength(2);
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(2);
    expect(Object.keys(synth.output ?? {})).toHaveLength(2);
  });

  test('the provider block carries no credentials: they come from HARNESS_* environment variables', () => {
    for (const synth of [synthExample(buildOneWay, 'one-way-mirror'), synthExample(buildTwoWay, 'two-way-mirror')]) {
      expect(synth.provider).toEqual({ harness: [{ endpoint: 'https://app.harness.io/gateway' }] });
    }
  });
});
