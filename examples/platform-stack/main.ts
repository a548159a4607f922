/**
 * Composition: the mirror constructs inside a larger platform stack that also declares its
 * own Harness organization and project. Tokens are created as Harness secrets from
 * sensitive Terraform variables (set TF_VAR_github_mirror_token and
 * TF_VAR_gitlab_mirror_token when deploying), so no token is written anywhere in the code
 * or the synthesized configuration. Failed runs alert a Slack channel.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  BuildInfrastructure,
  GitProvider,
  HarnessProvider,
  MirrorPipeline,
  NotificationRule,
  RepoMirror,
  SecretRef,
  TokenSecret,
} from 'cdktf-harness-mirror';
import { PlatformOrganization } from 'cdktf-harness-mirror/harness/platform-organization';
import { PlatformProject } from 'cdktf-harness-mirror/harness/platform-project';

/** A team's mirrors, as one reusable construct of the platform repo. */
export class TeamMirrors extends Construct {
  public readonly pipeline: MirrorPipeline;

  constructor(scope: Construct, id: string, props: { orgId: string; projectId: string; team: string; repos: string[] }) {
    super(scope, id);
    const github = new TokenSecret(this, 'GithubToken', {
      identifier: `${props.team}_github_mirror_token`,
      orgId: props.orgId,
      projectId: props.projectId,
      variableName: 'github_mirror_token',
    });
    const gitlab = new TokenSecret(this, 'GitlabToken', {
      identifier: `${props.team}_gitlab_mirror_token`,
      orgId: props.orgId,
      projectId: props.projectId,
      variableName: 'gitlab_mirror_token',
    });
    this.pipeline = new MirrorPipeline(this, 'Mirror', {
      orgId: props.orgId,
      projectId: props.projectId,
      identifier: `${props.team}_mirror`,
      name: `${props.team} mirror`,
      infrastructure: BuildInfrastructure.kubernetes({ connectorRef: 'account.build_cluster', namespace: 'harness-builds' }),
      notifications: [NotificationRule.slack({ webhookUrl: SecretRef.fromIdentifier('account.slack_platform_alerts') })],
    });
    for (const repo of props.repos) {
      new RepoMirror(this, repo, {
        pipeline: this.pipeline,
        source: { url: `https://github.com/acme/${repo}.git`, provider: GitProvider.GITHUB, token: github.secretRef },
        target: { url: `https://gitlab.com/acme/${repo}.git`, provider: GitProvider.GITLAB, token: gitlab.secretRef },
        twoWay: true,
        syncDelete: true,
      });
    }
  }
}

/** The platform stack: organization, project, and the mirrors in it. */
export class PlatformStack extends TerraformStack {
  public readonly mirrors: TeamMirrors;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new HarnessProvider(this, 'harness', { endpoint: 'https://app.harness.io/gateway' });

    const org = new PlatformOrganization(this, 'Org', { identifier: 'acme', name: 'Acme' });
    const project = new PlatformProject(this, 'Project', { identifier: 'source_mirrors', name: 'Source mirrors', orgId: org.identifier });

    // Referencing the project's attributes makes Terraform create it before the mirrors.
    this.mirrors = new TeamMirrors(this, 'Payments', {
      orgId: project.orgId,
      projectId: project.identifier,
      team: 'payments',
      repos: ['ledger', 'payouts'],
    });
  }
}

/** Builds the app; tests call this with their own App. */
export function buildApp(app: App = new App()): App {
  new PlatformStack(app, 'platform');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
