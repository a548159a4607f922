/**
 * One-way mirror: a Harness Code repository published to GitLab. Branch and tag changes
 * flow from Harness Code to GitLab only; deletions are not mirrored.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from 'cdktf-harness-mirror';

/** The stack: Harness provider (credentials from HARNESS_* env vars), one pipeline, one pair. */
export class OneWayMirrorStack extends TerraformStack {
  public readonly pipeline: MirrorPipeline;
  public readonly mirror: RepoMirror;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A relative state path keeps the synthesized JSON free of this machine's paths;
    // a platform repo would use its remote backend here.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new HarnessProvider(this, 'harness', { endpoint: 'https://app.harness.io/gateway' });

    this.pipeline = new MirrorPipeline(this, 'Mirror', { orgId: 'default', projectId: 'platform' });

    this.mirror = new RepoMirror(this, 'Docs', {
      pipeline: this.pipeline,
      source: {
        url: 'https://git.harness.io/acme/default/platform/docs.git',
        provider: GitProvider.HARNESS_CODE,
        token: SecretRef.fromIdentifier('harness_code_mirror_token'),
      },
      target: {
        url: 'https://gitlab.com/acme/docs.git',
        provider: GitProvider.GITLAB,
        token: SecretRef.fromIdentifier('account.gitlab_mirror_token'),
      },
    });
  }
}

/** Builds the app; tests call this with their own App. */
export function buildApp(app: App = new App()): App {
  new OneWayMirrorStack(app, 'one-way-mirror');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
