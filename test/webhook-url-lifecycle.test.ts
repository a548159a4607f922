/**
 * The webhook URL outputs survive a refresh that reads the trigger's `webhook_url` back
 * empty (see docs/providers.md, "Webhook URLs survive a refresh"). The synthesized
 * `terraform_data` resources and outputs are applied, as synthesized, by the real terraform
 * binary; only the Harness trigger, which needs the provider, is replaced by a stand-in
 * whose `webhook_url` the test sets and whose replacement it forces.
 */
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../src';
import { newStack, synthStack } from './helpers/synth';
import { terraformWorkspace, TerraformWorkspace } from './helpers/terraform';

const TRIGGER_REF = /\$\{harness_platform_triggers\.([A-Za-z0-9_-]+)\.(webhook_url|id)\}/g;

/** The synthesized configuration's stored URLs and outputs, around stand-ins for the triggers. */
function lifecycleConfig(): { config: Record<string, unknown>; outputs: Record<string, { value: unknown }> } {
  const stack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  new RepoMirror(stack, 'Api', {
    pipeline,
    source: { url: 'https://bitbucket.org/acme/api.git', provider: GitProvider.BITBUCKET_CLOUD, token: SecretRef.fromIdentifier('account.bb') },
    target: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token: SecretRef.fromIdentifier('account.gh') },
  });
  const synth = synthStack(stack);
  const stored = synth.resource!.terraform_data;
  const triggers = Object.keys(synth.resource!.harness_platform_triggers);
  // Stand-in per trigger: `output.webhook_url` is what the provider read back, and a new
  // `generation` replaces it (a new id), as a replaced trigger would be.
  const standIns: Record<string, unknown> = {};
  for (const id of triggers) {
    standIns[`standin_${id}`] = { input: { webhook_url: '${var.url}' }, triggers_replace: '${var.generation}' };
  }
  const rewrite = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value).replace(TRIGGER_REF, (_m, id: string, attr: string) =>
        attr === 'id' ? `\${terraform_data.standin_${id}.id}` : `\${terraform_data.standin_${id}.output.webhook_url}`,
      ),
    );
  return {
    config: {
      variable: { url: { type: 'string' }, generation: { type: 'string' } },
      resource: { terraform_data: { ...standIns, ...(rewrite(stored) as Record<string, unknown>) } },
      output: rewrite(synth.output),
    },
    outputs: synth.output!,
  };
}

describe('webhook URL outputs across a refresh, an update and a replacement of the trigger', () => {
  let ws: TerraformWorkspace;
  let synthesized: Record<string, { value: unknown }>;
  let outputs: string[];

  beforeAll(() => {
    const built = lifecycleConfig();
    synthesized = built.outputs;
    outputs = Object.keys(synthesized);
    ws = terraformWorkspace(built.config);
  });

  afterAll(() => ws?.dispose());

  const values = () => outputs.map((name) => ws.outputs()[name]);

  test('given the synthesized outputs, one per trigger, each reads a stored URL, not the trigger', () => {
    expect(outputs).toHaveLength(4);
    for (const output of Object.values(synthesized)) {
      expect(output.value).toMatch(/^\$\{terraform_data\.[A-Za-z0-9_]+StoredWebhookUrl_[0-9A-F]+\.output\["webhook_url"\]\}$/);
    }
  });

  test('given a created trigger, the outputs carry the URL the provider returned', () => {
    ws.apply({ url: 'https://app.harness.io/hook/first', generation: '1' });
    expect(values()).toEqual(Array(4).fill('https://app.harness.io/hook/first'));
  });

  test('given a refresh that reads webhook_url back empty, the outputs keep the URL', () => {
    ws.apply({ url: '', generation: '1' });
    expect(values()).toEqual(Array(4).fill('https://app.harness.io/hook/first'));
  });

  test('given the trigger updated in place, the outputs keep the URL', () => {
    ws.apply({ url: 'https://app.harness.io/hook/other', generation: '1' });
    expect(values()).toEqual(Array(4).fill('https://app.harness.io/hook/first'));
  });

  test('given the trigger replaced, the outputs take the new trigger URL', () => {
    ws.apply({ url: 'https://app.harness.io/hook/replaced', generation: '2' });
    expect(values()).toEqual(Array(4).fill('https://app.harness.io/hook/replaced'));
  });
});

describe('a declared Harness Code webhook across a refresh of its trigger', () => {
  let ws: TerraformWorkspace;

  beforeAll(() => {
    // given: a Harness Code source registering its webhook; the webhook's `url`, as
    // synthesized, becomes an output beside the stored URL and a stand-in for the trigger
    const stack = newStack();
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: 'https://git.harness.io/acct/default/platform/api.git', provider: GitProvider.HARNESS_CODE, token: SecretRef.fromIdentifier('account.code') },
      target: { url: 'https://gitlab.com/acme/api.git', provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.gl') },
      registerWebhook: true,
    });
    const synth = synthStack(stack);
    const [hook] = Object.values(synth.resource!.harness_platform_repo_webhook);
    const rewrite = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value).replace(TRIGGER_REF, (_m, _id: string, attr: string) =>
          attr === 'id' ? '${terraform_data.standin.id}' : '${terraform_data.standin.output.webhook_url}',
        ),
      );
    ws = terraformWorkspace({
      variable: { url: { type: 'string' }, generation: { type: 'string' } },
      resource: {
        terraform_data: {
          standin: { input: { webhook_url: '${var.url}' }, triggers_replace: '${var.generation}' },
          ...(rewrite(synth.resource!.terraform_data) as Record<string, unknown>),
        },
      },
      output: { hook_url: { value: hook.url } },
    });
  });

  afterAll(() => ws?.dispose());

  test('given a created trigger, then a refresh that reads its URL back empty, the webhook keeps the URL the trigger was created with', () => {
    ws.apply({ url: 'https://app.harness.io/hook/first', generation: '1' });
    expect(ws.outputs().hook_url).toBe('https://app.harness.io/hook/first');
    ws.apply({ url: '', generation: '1' });
    expect(ws.outputs().hook_url).toBe('https://app.harness.io/hook/first');
  });
});
