/**
 * The examples are real cdktf apps: each one synthesizes, with the resources its mode
 * calls for.
 */
import { buildApp as buildGithubToHarness } from '../examples/github-to-harness/main';
import { buildApp as buildManyPairs, REPOSITORIES } from '../examples/many-pairs/main';
import { buildApp as buildOneWay } from '../examples/one-way/main';
import { buildApp as buildPlatform } from '../examples/platform-stack/main';
import { buildApp as buildTwoWay } from '../examples/two-way/main';
import { escapeTerraformTemplate } from '../src/private/terraform-escape';
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

  test('github-to-harness: filtered refs, an hourly reconcile and the GitHub webhook', () => {
    const synth = synthExample(buildGithubToHarness, 'github-to-harness');
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(2);
    const [hook] = resourcesOfType(synth, 'github_repository_webhook');
    expect(hook.repository).toBe('payments');
    expect(hook.events).toEqual(['push']);
  });

  test('many-pairs: one shared pipeline for fifty repositories, two triggers per one-way pair and four per two-way pair', () => {
    const synth = synthExample(buildManyPairs, 'many-pairs');
    const twoWay = REPOSITORIES.filter((r) => r.twoWay).length;
    expect(REPOSITORIES).toHaveLength(50);
    expect(twoWay).toBe(5);
    expect(resourcesOfType(synth, 'harness_platform_pipeline')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_input_set')).toHaveLength(50 + twoWay);
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(2 * (50 + twoWay));
    expect(Object.keys(synth.output ?? {})).toHaveLength(50 + twoWay);
  });

  test('platform-stack: mirrors composed with the stack\'s own organization and project, tokens from sensitive variables', () => {
    const synth = synthExample(buildPlatform, 'platform');
    expect(resourcesOfType(synth, 'harness_platform_organization')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_project')).toHaveLength(1);
    const secrets = resourcesOfType(synth, 'harness_platform_secret_text');
    expect(secrets.map((s) => s.value).sort()).toEqual(['${var.github_mirror_token}', '${var.gitlab_mirror_token}']);
    expect(Object.values(synth.variable ?? {}).every((v) => v.sensitive === true)).toBe(true);
    // The project's identifier reaches the pipeline YAML as a Terraform reference, while the
    // script's own ${...} stay escaped.
    const [pipeline] = resourcesOfType(synth, 'harness_platform_pipeline');
    const yaml = pipeline.yaml as string;
    expect(yaml).toMatch(/^ {2}projectIdentifier: \$\{harness_platform_project\.Project\.identifier\}$/m);
    expect(yaml).toContain('$${');
    expect(yaml).not.toMatch(/[^$]\$\{(?!harness_platform_project\.)/);
  });

  test('escaping leaves cdktf tokens for cdktf to resolve', () => {
    expect(escapeTerraformTemplate('${TfToken[TOKEN.7]} ${HOME} %{x}')).toBe('${TfToken[TOKEN.7]} $${HOME} %%{x}');
  });
});
