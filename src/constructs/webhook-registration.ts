/**
 * Declares the source repository's webhook with the prebuilt GitHub or GitLab provider
 * bindings, pointing at a mirror trigger's webhook URL. The bindings are optional peer
 * dependencies, loaded only when a pair asks for registration.
 */
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { GitProvider } from '../model/providers';

/** Providers whose webhooks this library can declare. */
export const REGISTRABLE_PROVIDERS: readonly GitProvider[] = [GitProvider.GITHUB, GitProvider.GITLAB];

function load<T>(pkg: string, modulePath: string, exportName: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${pkg}/${modulePath}`)[exportName] as T;
  } catch (e) {
    throw new Error(`registerWebhook needs the package ${pkg} (npm install ${pkg}@^15 --save): ${(e as Error).message}`);
  }
}

type ResourceClass = new (scope: Construct, id: string, config: Record<string, unknown>) => TerraformResource;

/** The repository path in a clone URL: `https://github.com/acme/api.git` -> `acme/api`. */
export function repositoryPath(url: string): string {
  return new URL(url).pathname.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
}

/**
 * Declares the webhook of `repoUrl` on `provider` (GitHub or GitLab): JSON, ref-change
 * events only, TLS verified. `secret`, when given, is GitHub's signing secret or GitLab's
 * secret token.
 */
export function declareWebhook(
  scope: Construct,
  id: string,
  provider: GitProvider,
  repoUrl: string,
  webhookUrl: string,
  secret: string | undefined,
): TerraformResource {
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
