import { AnnotationMetadataEntryType, TerraformVariable, Testing } from 'cdktf';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { ProjectHook } from '@cdktf/provider-gitlab/lib/project-hook';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, RepoMirrorProps, SecretRef } from '../../src';
import { PlatformTriggers } from '../../src/gen/providers/harness/platform-triggers';
import { triggerSchemaErrors } from '../helpers/harness-schema';
import { sharedAvailable } from '../helpers/shared';
import { newStack, resourcesOfType, synthStack } from '../helpers/synth';

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
      expect(vars.find((v: any) => v.name === 'syncDelete').value).toBe('false');
    }
    expect(mirror.reverse!.reconcileTrigger).toBeDefined();
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

  test('given a two-way GitHub <-> Harness Code pair, then GitHub gets a webhook and Harness Code a warning to register by hand', () => {
    const { stack, mirror } = setup({ registerWebhook: true, twoWay: true });
    expect(resourcesOfType(synthStack(stack), 'github_repository_webhook')).toHaveLength(1);
    expect(mirror.forward.webhook).toBeDefined();
    expect(mirror.reverse!.webhook).toBeUndefined();
    const messages = mirror.reverse!.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
    expect(messages).toEqual([
      expect.stringMatching(/^registerWebhook: webhooks on Harness Code cannot be declared here; register .* on https:\/\/git.harness.io\/acct\/default\/platform\/api.git by hand/),
    ]);
  });

  test('validation: no registrable side, a literal secret', () => {
    expect(() => setup({ source: HARNESS, target: { ...GITLAB, provider: GitProvider.GITEA }, registerWebhook: true })).toThrow(
      /registerWebhook: no source of this pair is on GITHUB or GITLAB \(source is HARNESS_CODE\)/,
    );
    expect(() => setup({ registerWebhook: true, webhookSecret: 'hunter2' })).toThrow(/webhookSecret must be a token/);
    expect(() => setup({ registerWebhook: true, webhookSecret: 'hunter2' })).not.toThrow(/hunter2/);
  });
});
