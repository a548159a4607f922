/**
 * A platform team's fifty repositories, mirrored from GitLab to Harness Code by one shared
 * pipeline: pairs come from a plain list, so adding a repository is a one-line change whose
 * plan adds only that pair's input set, trigger and output.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GitProvider, HarnessProvider, MirrorPipeline, NotificationRule, RepoMirror, SecretRef } from 'cdktf-harness-mirror';

/** The repositories to mirror: GitLab path under `acme/`, and whether both directions sync. */
export const REPOSITORIES: ReadonlyArray<{ readonly name: string; readonly twoWay?: boolean }> = [
  'accounts', 'admin-ui', 'alerts', 'analytics', 'api-gateway', 'audit', 'auth', 'billing', 'catalog', 'checkout',
  'cli', 'config', 'content', 'coupons', 'crm', 'data-pipeline', 'docs', 'email', 'events', 'exports',
  'feature-flags', 'files', 'fraud', 'geo', 'graphql', 'helm-charts', 'identity', 'imports', 'infra', 'inventory',
  'invoices', 'ledger', 'loyalty', 'media', 'metrics', 'mobile-app', 'notifications', 'orders', 'partners', 'payments',
  'pricing', 'recommendations', 'reports', 'returns', 'search', 'sessions', 'shipping', 'support', 'tax', 'web',
].map((name, i) => ({ name, twoWay: i % 10 === 0 }));

/** One pipeline, failure alerts to the platform team, and a pair per repository. */
export class ManyPairsStack extends TerraformStack {
  public readonly pipeline: MirrorPipeline;
  public readonly mirrors: RepoMirror[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new HarnessProvider(this, 'harness', { endpoint: 'https://app.harness.io/gateway' });

    this.pipeline = new MirrorPipeline(this, 'Mirror', {
      orgId: 'default',
      projectId: 'platform',
      notifications: [NotificationRule.email({ recipients: ['platform-team@acme.example'] })],
    });

    const gitlabToken = SecretRef.fromIdentifier('account.gitlab_mirror_token');
    const harnessToken = SecretRef.fromIdentifier('harness_code_mirror_token');
    this.mirrors = REPOSITORIES.map(
      (repo) =>
        new RepoMirror(this, repo.name, {
          pipeline: this.pipeline,
          source: { url: `https://gitlab.com/acme/${repo.name}.git`, provider: GitProvider.GITLAB, token: gitlabToken },
          target: {
            url: `https://git.harness.io/acme/default/platform/${repo.name}.git`,
            provider: GitProvider.HARNESS_CODE,
            token: harnessToken,
          },
          twoWay: repo.twoWay,
          // GitLab sends no push hooks when one push changes more than three refs.
          reconcile: { schedule: '17 */6 * * *' },
        }),
    );
  }
}

/** Builds the app; tests call this with their own App. */
export function buildApp(app: App = new App()): App {
  new ManyPairsStack(app, 'many-pairs');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
