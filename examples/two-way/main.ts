/**
 * Two-way mirror: a GitHub repository and a Harness Code repository kept in sync in both
 * directions, deletions included. `npm run synth` synthesizes this app.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from 'cdktf-harness-mirror';

/** The stack: Harness provider (credentials from HARNESS_* env vars), one pipeline, one pair. */
export class TwoWayMirrorStack extends TerraformStack {
  public readonly pipeline: MirrorPipeline;
  public readonly mirror: RepoMirror;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A relative state path keeps the synthesized JSON free of this machine's paths;
    // a platform repo would use its remote backend here.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    // Account id and API key come from HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY,
    // so no credential is written into the synthesized configuration.
    new HarnessProvider(this, 'harness', { endpoint: 'https://app.harness.io/gateway' });

    this.pipeline = new MirrorPipeline(this, 'Mirror', { orgId: 'default', projectId: 'platform' });

    this.mirror = new RepoMirror(this, 'Api', {
      pipeline: this.pipeline,
      source: {
        url: 'https://github.com/acme/api.git',
        provider: GitProvider.GITHUB,
        token: SecretRef.fromIdentifier('account.github_mirror_token'),
      },
      target: {
        url: 'https://git.harness.io/acme/default/platform/api.git',
        provider: GitProvider.HARNESS_CODE,
        token: SecretRef.fromIdentifier('harness_code_mirror_token'),
      },
      twoWay: true,
      syncDelete: true,
    });
  }
}

/** Builds the app; tests call this with their own App. */
export function buildApp(app: App = new App()): App {
  new TwoWayMirrorStack(app, 'two-way-mirror');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
