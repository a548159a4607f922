import { AnnotationMetadataEntryType, TerraformVariable, Testing } from 'cdktf';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { ProjectHook } from '@cdktf/provider-gitlab/lib/project-hook';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, RepoMirrorProps, SecretRef } from '../../src';
import { PlatformRepoWebhook } from '../../src/gen/providers/harness/platform-repo-webhook';
import { PlatformTriggers } from '../../src/gen/providers/harness/platform-triggers';
import { triggerSchemaErrors } from '../helpers/harness-schema';
import { sharedAvailable } from '../helpers/shared';
import { newStack, resourcesOfType, synthStack, YamlVariable } from '../helpers/synth';

const token = SecretRef.fromIdentifier('account.token');
const GITHUB = { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token };
const GITLAB = { url: 'https://gitlab.com/acme/platform/api.git', provider: GitProvider.GITLAB, token };
const HARNESS = { url: 'https://git.harness.io/acct/default/platform/api.git', provider: GitProvider.HARNESS_CODE, token };

function setup(props: Partial<RepoMirrorProps>) {
  const stack = newStack();
  new GithubProvider(stack, 'github', { owner: 'acme' });
  new GitlabProvider(stack, 'gitlab', {});
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  const mirror = new RepoMirror(stack, 'Api', { pipeline, source: GITHUB, target: HARNESS, ...props });
  return { stack, mirror, pipeline };
}

describe('reconcile schedule', () => {
  test('given reconcile on a one-way pair, then one cron trigger runs the pipeline in reconcile mode with the pair\'s input set', () => {
    const { stack, mirror, pipeline } = setup({ reconcile: { schedule: '0 * * * *', timezone: 'Europe/Berlin' }, syncDelete: true });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformTriggers, {
      identifier: 'api_forward_reconcile',
      target_id: `\${harness_platform_pipeline.${stack.getLogicalId(pipeline.pipeline)}.identifier}`,
    });
    const doc = YAML.parse(mirror.forward.reconcileTriggerYaml!).trigger;
    expect(doc.source).toEqual({
      type: 'Scheduled',
      spec: { type: 'Cron', spec: { type: 'UNIX', expression: '0 * * * *', timezone: 'Europe/Berlin' } },
    });
    expect(doc.inputSetRefs).toEqual(['api_forward']);
    expect(YAML.parse(doc.inputYaml).pipeline.variables).toEqual([
      { name: 'reference', type: 'String', value: 'refs/*' },
      { name: 'referenceShaOld', type: 'String', value: '' },
      { name: 'syncDelete', type: 'String', value: 'true' },
      { name: 'mode', type: 'String', value: 'reconcile' },
    ]);
    if (sharedAvailable('harness-schema')) {
      expect(triggerSchemaErrors(YAML.parse(mirror.forward.reconcileTriggerYaml!))).toEqual([]);
    }
  });

  test('given reconcile on a two-way pair, then one per direction, and neither deletes', () => {
    const { stack, mirror } = setup({ reconcile: { schedule: '*/30 * * * *' }, twoWay: true, syncDelete: true });
    expect(resourcesOfType(synthStack(stack), 'harness_platform_triggers')).toHaveLength(4);
    for (const d of mirror.directions) {
      const vars = YAML.parse(YAML.parse(d.reconcileTriggerYaml!).trigger.inputYaml).pipeline.variables;
      expect(vars.find((v: YamlVariable) => v.name === 'syncDelete').value).toBe('false');
    }
    expect(mirror.reverse!.reconcileTrigger).toBeDefined();
  });

  test('given maxRefsPerPush, then both directions\' input sets carry it; without, the default 100', () => {
    const maxOf = (yaml: string) => YAML.parse(yaml).inputSet.pipeline.variables.find((v: { name: string }) => v.name === 'maxRefsPerPush');
    const { mirror } = setup({ reconcile: { schedule: '0 * * * *', maxRefsPerPush: 5 }, twoWay: true });
    expect(mirror.directions.map((d) => maxOf(d.inputSetYaml))).toEqual([
      { name: 'maxRefsPerPush', type: 'String', value: '5' },
      { name: 'maxRefsPerPush', type: 'String', value: '5' },
    ]);
    expect(maxOf(setup({}).mirror.forward.inputSetYaml).value).toBe('100');
    expect(maxOf(setup({ reconcile: { schedule: '0 * * * *' } }).mirror.forward.inputSetYaml).value).toBe('100');
  });

  test.each([[0], [1001], [2.5], [-1], [Number.NaN]])('given maxRefsPerPush %p, then construction throws naming it', (maxRefsPerPush) => {
    expect(() => setup({ reconcile: { schedule: '0 * * * *', maxRefsPerPush } })).toThrow(
      `reconcile.maxRefsPerPush must be a whole number from 1 to 1000, got ${JSON.stringify(maxRefsPerPush)}`,
    );
  });

  test.each([['0 * * *'], ['every hour'], ['0 * * * * ; rm -rf /']])('given schedule %j, then construction throws naming it', (schedule) => {
    expect(() => setup({ reconcile: { schedule } })).toThrow(/reconcile.schedule must be a five-field UNIX cron expression/);
  });
});

describe('registerWebhook', () => {
  test('given a GitHub source, then a push-only JSON webhook on the repository points at the trigger\'s URL', () => {
    const { stack } = setup({ registerWebhook: true });
    const synth = synthStack(stack);
    const [storedId] = Object.keys(synth.resource!.terraform_data);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(RepositoryWebhook, {
      repository: 'api',
      active: true,
      events: ['push'],
      configuration: {
        // The URL as stored when the trigger was created (docs/providers.md, "Webhook URLs survive a refresh").
        url: `\${terraform_data.${storedId}.output["webhook_url"]}`,
        content_type: 'json',
        insecure_ssl: false,
      },
    });
  });

  test('given a GitLab source with a secret variable, then a project hook for push and tag push events with the secret token', () => {
    const stack = newStack();
    new GitlabProvider(stack, 'gitlab', {});
    const secret = new TerraformVariable(stack, 'hook_secret', { type: 'string', sensitive: true });
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    new RepoMirror(stack, 'Api', { pipeline, source: GITLAB, target: HARNESS, registerWebhook: true, webhookSecret: secret.stringValue });
    const synth = Testing.synth(stack, true);
    expect(synth).toHaveResourceWithProperties(ProjectHook, {
      project: 'acme/platform/api',
      push_events: true,
      tag_push_events: true,
      merge_requests_events: false,
      issues_events: false,
      enable_ssl_verification: true,
      token: '${var.hook_secret}',
    });
  });

  test('given a two-way GitHub <-> Harness Code pair, then each source gets its webhook, pointing at its own direction\'s stored URL', () => {
    const { stack, mirror } = setup({ registerWebhook: true, twoWay: true });
    const synth = synthStack(stack);
    expect(resourcesOfType(synth, 'github_repository_webhook')).toHaveLength(1);
    expect(mirror.forward.webhook).toBeInstanceOf(RepositoryWebhook);
    expect(mirror.reverse!.webhook).toBeInstanceOf(PlatformRepoWebhook);
    const stored = stack.getLogicalId(mirror.reverse!.webhookTriggers[0].storedWebhookUrl);
    const [hook] = resourcesOfType(synth, 'harness_platform_repo_webhook');
    expect(withoutMetadata(hook)).toEqual({
      identifier: 'api_reverse',
      repo_identifier: 'api',
      org_id: 'default',
      project_id: 'platform',
      description: 'Starts the mirror trigger api_reverse: https://git.harness.io/acct/default/platform/api.git to https://github.com/acme/api.git.',
      url: `\${terraform_data.${stored}.output["webhook_url"]}`,
      triggers: ['branch_created', 'branch_updated', 'branch_deleted', 'tag_created', 'tag_updated', 'tag_deleted'],
      enabled: true,
      insecure: false,
    });
    expect(mirror.reverse!.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
  });

  test('given a Harness Code source, then the webhook selects exactly the events its trigger admits', () => {
    const { mirror } = setup({ source: HARNESS, target: GITHUB, registerWebhook: true });
    const hook = mirror.forward.webhook as PlatformRepoWebhook;
    const admitted = YAML.parse(mirror.forward.triggerYaml).trigger.source.spec.spec.payloadConditions
      .find((c: { key: string }) => c.key === '<+trigger.payload.trigger>').value.split(', ');
    expect(hook.triggersInput).toEqual(admitted);
  });

  test.each([
    ['a project-level repository', 'https://git.harness.io/acct/default/platform/api.git', { repo_identifier: 'api', org_id: 'default', project_id: 'platform' }],
    ['an organization-level repository', 'https://git.harness.io/acct/default/api.git', { repo_identifier: 'api', org_id: 'default' }],
    ['an account-level repository, no .git', 'https://git.harness.io/acct/api', { repo_identifier: 'api' }],
    ['a repository with dots and dashes', 'https://git.harness.io/Ab-c_D/default/platform/my.repo-1.git', { repo_identifier: 'my.repo-1', org_id: 'default', project_id: 'platform' }],
  ])('given the source URL of %s, then the webhook names its repository, organization and project', (_what, url, where) => {
    const { stack } = setup({ source: { ...HARNESS, url }, target: GITHUB, registerWebhook: true });
    const [hook] = resourcesOfType(synthStack(stack), 'harness_platform_repo_webhook');
    expect({ repo_identifier: hook.repo_identifier, org_id: hook.org_id, project_id: hook.project_id }).toEqual({ org_id: undefined, project_id: undefined, ...where });
  });

  test('given a Harness Code source and a secret variable, then the webhook carries the secret by reference', () => {
    const stack = newStack();
    const secret = new TerraformVariable(stack, 'hook_secret', { type: 'string', sensitive: true });
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    new RepoMirror(stack, 'Api', { pipeline, source: HARNESS, target: GITLAB, registerWebhook: true, webhookSecret: secret.stringValue });
    const [hook] = resourcesOfType(synthStack(stack), 'harness_platform_repo_webhook');
    expect(hook.secret).toBe('${var.hook_secret}');
  });

  test.each([
    ['source.url', { source: { ...HARNESS, url: 'https://git.harness.io/api.git' }, target: GITHUB }, /^test\/Api: source\.url must be a Harness Code repository URL .* its path has 1 segment, not 2 to 4: got "https:\/\/git\.harness\.io\/api\.git"$/],
    ['source.url', { source: { ...HARNESS, url: 'https://git.harness.io/acct/o/p/x/api.git' }, target: GITHUB }, /^test\/Api: source\.url must be .* its path has 5 segments, not 2 to 4: got "https:\/\/git\.harness\.io\/acct\/o\/p\/x\/api\.git"$/],
    ['source.url', { source: { ...HARNESS, url: 'https://git.harness.io/acct/my-org/platform/api.git' }, target: GITHUB }, /^test\/Api: source\.url must be .* "my-org" is not an organization or project identifier: got/],
    ['target.url', { twoWay: true, target: { ...HARNESS, url: 'https://git.harness.io/acct/default/platform/api.git.git' } }, /^test\/Api: target\.url must be .* "api\.git" is not a repository identifier/],
  ])('given a Harness Code URL that names no repository, then construction throws naming %s and the URL', (_prop, props, message) => {
    expect(() => setup({ registerWebhook: true, ...props })).toThrow(message);
  });

  test('given a Harness Code URL that is not a repository URL but no registerWebhook, then nothing is checked', () => {
    expect(() => setup({ source: { ...HARNESS, url: 'https://git.harness.io/api.git' }, target: GITHUB })).not.toThrow();
  });

  test('given a pair identifier too long for a Harness Code webhook, then construction throws naming it', () => {
    const identifier = `a${'b'.repeat(99)}`;
    expect(() => setup({ source: HARNESS, target: GITHUB, registerWebhook: true, identifier })).toThrow(
      `registerWebhook: the webhook on source.url would be named after trigger "${identifier}_forward", longer than the 100 characters Harness Code allows; give the pair a shorter identifier`,
    );
  });

  test('validation: no registrable side, a literal secret', () => {
    expect(() => setup({ source: { ...GITLAB, url: 'https://bitbucket.org/acme/api.git', provider: GitProvider.BITBUCKET_CLOUD }, target: { ...GITLAB, url: 'https://codeberg.org/acme/api.git', provider: GitProvider.GITEA }, registerWebhook: true, twoWay: true })).toThrow(
      /registerWebhook: no source of this pair is on GITHUB, GITLAB or HARNESS_CODE \(source is BITBUCKET_CLOUD, reverse source is GITEA\)/,
    );
    expect(() => setup({ registerWebhook: true, webhookSecret: 'hunter2' })).toThrow(/webhookSecret must be a token/);
    expect(() => setup({ registerWebhook: true, webhookSecret: 'hunter2' })).not.toThrow(/hunter2/);
  });
});

/** A synthesized resource without cdktf's `//` metadata. */
function withoutMetadata(resource: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([k]) => k !== '//'));
}
