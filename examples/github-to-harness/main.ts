/**
 * One-way mirror into Harness Code: a GitHub repository's release branches and version
 * tags are copied to Harness Code, the GitHub webhook is declared too, and an hourly
 * reconcile catches pushes GitHub sends no webhook for (more than three tags at once).
 */
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from 'cdktf-harness-mirror';

/** Harness and GitHub providers (credentials from the environment), one pipeline, one pair. */
export class GithubToHarnessStack extends TerraformStack {
  public readonly pipeline: MirrorPipeline;
  public readonly mirror: RepoMirror;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new HarnessProvider(this, 'harness', { endpoint: 'https://app.harness.io/gateway' });
    // The GitHub token comes from GITHUB_TOKEN; `owner` is the organization of the repository.
    new GithubProvider(this, 'github', { owner: 'acme' });

    this.pipeline = new MirrorPipeline(this, 'Mirror', { orgId: 'default', projectId: 'platform' });

    this.mirror = new RepoMirror(this, 'Payments', {
      pipeline: this.pipeline,
      source: {
        url: 'https://github.com/acme/payments.git',
        provider: GitProvider.GITHUB,
        token: SecretRef.fromIdentifier('account.github_read_token'),
      },
      target: {
        url: 'https://git.harness.io/acme/default/platform/payments.git',
        provider: GitProvider.HARNESS_CODE,
        token: SecretRef.fromIdentifier('harness_code_mirror_token'),
      },
      refs: ['refs/heads/main', 'refs/heads/release/*', 'refs/tags/v*'],
      reconcile: { schedule: '0 * * * *' },
      registerWebhook: true,
    });
  }
}

/** Builds the app; tests call this with their own App. */
export function buildApp(app: App = new App()): App {
  new GithubToHarnessStack(app, 'github-to-harness');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
