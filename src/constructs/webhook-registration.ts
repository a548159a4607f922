/**
 * Declares the source repository's webhook, pointing at a mirror trigger's webhook URL:
 * with the prebuilt GitHub or GitLab provider bindings (optional peer dependencies, loaded
 * only when a pair asks for registration), or with the Harness provider's
 * `harness_platform_repo_webhook` for a Harness Code repository.
 */
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformRepoWebhook } from '../gen/providers/harness/platform-repo-webhook';
import { GitProvider, HARNESS_CODE_WEBHOOK_TRIGGERS } from '../model/providers';
import { shown } from '../private/credentials';
import { harnessCodeRepository } from '../private/urls';

/** Providers whose webhooks this library can declare. */
export const REGISTRABLE_PROVIDERS: readonly GitProvider[] = [GitProvider.GITHUB, GitProvider.GITLAB, GitProvider.HARNESS_CODE];

/** Longest Harness Code webhook identifier (Gitness `check.Identifier`). */
const MAX_HARNESS_CODE_WEBHOOK_IDENTIFIER = 100;

/** What a declared webhook points at, and how it is named. */
export interface WebhookDeclaration {
  /** The provider hosting the source repository. */
  readonly provider: GitProvider;
  /** The source repository's clone URL. */
  readonly repoUrl: string;
  /** The prop that holds `repoUrl`, for error messages (`source.url`). */
  readonly repoUrlProp: string;
  /** The trigger's webhook URL, as stored when the trigger was created. */
  readonly webhookUrl: string;
  /** The trigger's identifier; a Harness Code webhook takes it as its own. */
  readonly identifier: string;
  /** What the webhook is for, for people (Harness Code keeps a description). */
  readonly description: string;
  /** GitHub's signing secret, GitLab's secret token, Harness Code's webhook secret. */
  readonly secret?: string;
}

/**
 * Throws at construction when a Harness Code webhook could not be declared for `repoUrl`
 * under `identifier`: the URL is not a Harness Code repository URL, or the identifier is
 * longer than Harness Code allows.
 */
export function checkHarnessCodeWebhook(repoUrlProp: string, repoUrl: string, identifier: string): void {
  harnessCodeRepository(repoUrlProp, repoUrl);
  if (identifier.length > MAX_HARNESS_CODE_WEBHOOK_IDENTIFIER) {
    throw new Error(
      `registerWebhook: the webhook on ${repoUrlProp} would be named after trigger ${shown(identifier)}, longer than the ${MAX_HARNESS_CODE_WEBHOOK_IDENTIFIER} characters Harness Code allows; give the pair a shorter identifier`,
    );
  }
}

function load<T>(pkg: string, modulePath: string, exportName: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${pkg}/${modulePath}`)[exportName] as T;
  } catch (e) {
    throw new Error(`registerWebhook needs the package ${pkg} (npm install ${pkg}@^15 --save): ${(e as Error).message}`, { cause: e });
  }
}

type ResourceClass = new (scope: Construct, id: string, config: Record<string, unknown>) => TerraformResource;

/** The repository path in a clone URL: `https://github.com/acme/api.git` -> `acme/api`. */
export function repositoryPath(url: string): string {
  return new URL(url).pathname.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
}

/**
 * Declares the webhook of the source repository (GitHub, GitLab or Harness Code): JSON,
 * ref-change events only, TLS verified. A Harness Code source's URL and identifier are
 * checked with `checkHarnessCodeWebhook` when the pair is created, under the pair's own
 * prop names.
 */
export function declareWebhook(scope: Construct, id: string, declaration: WebhookDeclaration): TerraformResource {
  const { provider, repoUrl, webhookUrl, secret } = declaration;
  if (provider === GitProvider.HARNESS_CODE) {
    const repo = harnessCodeRepository(declaration.repoUrlProp, repoUrl);
    return new PlatformRepoWebhook(scope, id, {
      identifier: declaration.identifier,
      repoIdentifier: repo.repoIdentifier,
      orgId: repo.orgId,
      projectId: repo.projectId,
      description: declaration.description,
      url: webhookUrl,
      triggers: [...HARNESS_CODE_WEBHOOK_TRIGGERS],
      enabled: true,
      insecure: false,
      secret,
    });
  }
  const path = repositoryPath(repoUrl);
  if (provider === GitProvider.GITHUB) {
    const RepositoryWebhook = load<ResourceClass>('@cdktf/provider-github', 'lib/repository-webhook', 'RepositoryWebhook');
    // The GitHub provider's `owner` setting names the organization; `repository` is the name.
    return new RepositoryWebhook(scope, id, {
      repository: path.split('/').pop(),
      active: true,
      events: ['push'],
      configuration: { url: webhookUrl, contentType: 'json', insecureSsl: false, secret },
    });
  }
  if (provider === GitProvider.GITLAB) {
    const ProjectHook = load<ResourceClass>('@cdktf/provider-gitlab', 'lib/project-hook', 'ProjectHook');
    return new ProjectHook(scope, id, {
      project: path,
      url: webhookUrl,
      pushEvents: true,
      tagPushEvents: true,
      mergeRequestsEvents: false,
      issuesEvents: false,
      noteEvents: false,
      jobEvents: false,
      pipelineEvents: false,
      wikiPageEvents: false,
      releasesEvents: false,
      enableSslVerification: true,
      token: secret,
    });
  }
  throw new Error(`registerWebhook: cannot declare webhooks on ${provider}; supported: ${REGISTRABLE_PROVIDERS.join(', ')}`);
}
