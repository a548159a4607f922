/**
 * One snapshot per example: the synthesized configuration, plus each rendered YAML
 * document as its own snapshot so a change reads as a YAML diff in review. Every
 * document also validates against Harness's official schemas.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import * as YAML from 'yaml';
import { MirrorPipeline, RepoMirror } from '../src';
import { buildApp as buildGithubToHarness } from '../examples/github-to-harness/main';
import { buildApp as buildManyPairs } from '../examples/many-pairs/main';
import { buildApp as buildOneWay } from '../examples/one-way/main';
import { buildApp as buildPlatform } from '../examples/platform-stack/main';
import { buildApp as buildTwoWay } from '../examples/two-way/main';
import { pipelineSchemaErrors, triggerSchemaErrors } from './helpers/harness-schema';
import { sharedAvailable } from './helpers/shared';

const EXAMPLES: Array<[string, (app: App) => App, string]> = [
  ['one-way', buildOneWay, 'one-way-mirror'],
  ['two-way', buildTwoWay, 'two-way-mirror'],
  ['github-to-harness', buildGithubToHarness, 'github-to-harness'],
  ['many-pairs', buildManyPairs, 'many-pairs'],
  ['platform-stack', buildPlatform, 'platform'],
];

const withSchemas = sharedAvailable('harness-schema');

describe.each(EXAMPLES)('example %s', (_name, buildApp, stackName) => {
  const app = buildApp(Testing.app());
  const stack = app.node.findChild(stackName) as TerraformStack;
  const pipelines = stack.node.findAll().filter((c): c is MirrorPipeline => c instanceof MirrorPipeline);
  const directions = stack.node
    .findAll()
    .filter((c): c is RepoMirror => c instanceof RepoMirror)
    .flatMap((m) => m.directions);

  test('synthesized configuration', () => {
    expect(JSON.parse(Testing.synth(stack, true))).toMatchSnapshot();
  });

  test('rendered YAML, one document per snapshot', () => {
    // cdktf tokens (a project identifier from another resource) are numbered by creation
    // order; the synthesized configuration above shows what they resolve to.
    const text = (yaml: string): string => yaml.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, '<cdktf token>');
    for (const p of pipelines) {
      expect(text(p.yaml)).toMatchSnapshot(`pipeline ${p.identifier}`);
    }
    // The many-pairs example repeats one shape fifty times: its first pairs stand for all.
    for (const d of directions.slice(0, 4)) {
      expect(text(d.inputSetYaml)).toMatchSnapshot(`input set ${d.identifier}`);
      for (const t of d.webhookTriggers) {
        expect(text(t.yaml)).toMatchSnapshot(`trigger ${t.identifier}`);
      }
      if (d.reconcileTriggerYaml) {
        expect(text(d.reconcileTriggerYaml)).toMatchSnapshot(`reconcile trigger ${d.identifier}`);
      }
    }
  });

  (withSchemas ? test : test.skip)('every pipeline and trigger validates against the official schemas', () => {
    for (const p of pipelines) {
      expect(pipelineSchemaErrors(YAML.parse(p.yaml))).toEqual([]);
    }
    for (const d of directions) {
      for (const t of d.webhookTriggers) {
        expect(triggerSchemaErrors(YAML.parse(t.yaml))).toEqual([]);
      }
      if (d.reconcileTriggerYaml) {
        expect(triggerSchemaErrors(YAML.parse(d.reconcileTriggerYaml))).toEqual([]);
      }
      expect(pipelineSchemaErrors({ pipeline: YAML.parse(d.inputSetYaml).inputSet.pipeline })).toEqual([]);
    }
  });
});
