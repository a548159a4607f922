/**
 * Proof with the real terraform binary that the YAML strings in the synthesized
 * configuration evaluate to exactly the YAML the model rendered, although the mirror
 * script is full of `${...}`.
 */
import { TerraformStack } from 'cdktf';
import { MirrorPipeline, RepoMirror } from '../src';
import { escapeTerraformTemplate } from '../src/private/terraform-escape';
import { buildApp as buildOneWay } from '../examples/one-way/main';
import { buildApp as buildTwoWay } from '../examples/two-way/main';
import { synthExample, SynthesizedStack } from './helpers/synth';
import { evaluateWithTerraform } from './helpers/terraform';
import { Testing } from 'cdktf';

/** Every `yaml` attribute in the synthesized JSON, keyed `<type>__<logical id>`. */
function yamlAttributes(synth: SynthesizedStack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, byId] of Object.entries(synth.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) {
      if (typeof body.yaml === 'string') {
        out[`${type}__${id}`] = body.yaml;
      }
    }
  }
  return out;
}

/** The model's YAML for every resource, keyed like `yamlAttributes`. */
function modelYaml(stack: TerraformStack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (c instanceof MirrorPipeline) {
      out[`harness_platform_pipeline__${stack.getLogicalId(c.pipeline)}`] = c.yaml;
    }
    if (c instanceof RepoMirror) {
      for (const d of c.directions) {
        out[`harness_platform_input_set__${stack.getLogicalId(d.inputSet)}`] = d.inputSetYaml;
        out[`harness_platform_triggers__${stack.getLogicalId(d.trigger)}`] = d.triggerYaml;
      }
    }
  }
  return out;
}

describe('Terraform evaluates the synthesized YAML to the rendered YAML', () => {
  test.each([
    ['one-way', buildOneWay, 'one-way-mirror'],
    ['two-way', buildTwoWay, 'two-way-mirror'],
  ])('example %s: every pipeline, input set and trigger string', (_name, buildApp, stackName) => {
    const app = buildApp(Testing.app());
    const stack = app.node.findChild(stackName) as TerraformStack;
    const synth = synthExample(() => app, stackName);
    const attributes = yamlAttributes(synth);
    const expected = modelYaml(stack);
    expect(Object.keys(expected).sort()).toEqual(Object.keys(attributes).sort());
    // The pipeline's script really does contain Terraform template syntax to escape.
    expect(Object.values(expected).some((y) => y.includes('${'))).toBe(true);

    expect(evaluateWithTerraform(attributes)).toEqual(expected);
  });

  test('edge cases of the escaping evaluate to themselves', () => {
    const samples = [
      '${HOME}',
      '$${already}',
      '%{ if x }',
      '%%{literal}',
      'a $ b $$ c',
      'trailing $',
      'trailing %',
      '${a}${b}%{c}',
      '"${x:-default}"',
      '$$${x}',
      '\\${not escaped by backslash}',
    ];
    const input: Record<string, string> = {};
    const expected: Record<string, string> = {};
    samples.forEach((s, i) => {
      input[`s${i}`] = escapeTerraformTemplate(s);
      expected[`s${i}`] = s;
    });
    expect(evaluateWithTerraform(input)).toEqual(expected);
  });

  test('without escaping, terraform would reject or rewrite the script (the check is live)', () => {
    expect(() => evaluateWithTerraform({ raw: 'echo "${MIRROR_REFERENCE}"' })).toThrow(/MIRROR_REFERENCE/);
  });
});
