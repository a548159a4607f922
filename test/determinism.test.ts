/**
 * Output stability for pull-request review: the same program gives the same bytes, and
 * adding a pair touches only that pair's resources.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from '../src';
import { buildApp } from '../examples/two-way/main';

let lastOutdir = '';

function synthToDir(build: (app: App) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  lastOutdir = outdir;
  const app = new App({ outdir, skipValidation: false });
  build(app);
  app.synth();
  const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
  expect(stacks).toHaveLength(1);
  const text = fs.readFileSync(path.join(outdir, 'stacks', stacks[0], 'cdk.tf.json'), 'utf8');
  fs.rmSync(outdir, { recursive: true, force: true });
  return text;
}

function platformStack(app: App, pairs: string[]): void {
  const stack = new TerraformStack(app, 'platform');
  new HarnessProvider(stack, 'harness', {});
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  for (const name of pairs) {
    new RepoMirror(stack, name, {
      pipeline,
      source: { url: `https://github.com/acme/${name}.git`, provider: GitProvider.GITHUB, token: SecretRef.fromIdentifier('account.gh') },
      target: { url: `https://gitlab.com/acme/${name}.git`, provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.gl') },
      twoWay: true,
    });
  }
}

describe('deterministic output', () => {
  test('synthesizing the two-way example twice, in separate output folders, gives identical bytes', () => {
    const first = synthToDir((app) => buildApp(app));
    const second = synthToDir((app) => buildApp(app));
    expect(second).toBe(first);
    // No absolute paths of the machine leak in: neither the output folder nor the checkout.
    expect(first).not.toContain(lastOutdir);
    expect(first).not.toContain(process.cwd());
  });

  test('adding a pair adds only that pair\'s resources and outputs; nothing else changes', () => {
    const before = JSON.parse(synthToDir((app) => platformStack(app, ['api', 'web'])));
    const after = JSON.parse(synthToDir((app) => platformStack(app, ['api', 'web', 'billing'])));

    for (const [type, byId] of Object.entries<Record<string, unknown>>(before.resource)) {
      for (const [id, body] of Object.entries(byId)) {
        expect({ type, id, body: after.resource[type][id] }).toEqual({ type, id, body });
      }
    }
    const added = Object.entries<Record<string, unknown>>(after.resource).flatMap(([type, byId]) =>
      Object.keys(byId).filter((id) => !(id in (before.resource[type] ?? {}))).map((id) => `${type}.${id}`),
    );
    expect(added.sort()).toEqual([
      expect.stringMatching(/^harness_platform_input_set\.billing_Forward_InputSet_[0-9A-F]{8}$/),
      expect.stringMatching(/^harness_platform_input_set\.billing_Reverse_InputSet_[0-9A-F]{8}$/),
      expect.stringMatching(/^harness_platform_triggers\.billing_Forward_Trigger_[0-9A-F]{8}$/),
      expect.stringMatching(/^harness_platform_triggers\.billing_Reverse_Trigger_[0-9A-F]{8}$/),
      expect.stringMatching(/^terraform_data\.billing_Forward_StoredWebhookUrl_[0-9A-F]{8}$/),
      expect.stringMatching(/^terraform_data\.billing_Reverse_StoredWebhookUrl_[0-9A-F]{8}$/),
    ]);
    const addedOutputs = Object.keys(after.output).filter((k) => !(k in before.output));
    expect(addedOutputs).toHaveLength(2);
    for (const k of Object.keys(before.output)) {
      expect(after.output[k]).toEqual(before.output[k]);
    }
  });
});
