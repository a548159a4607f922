/**
 * Validation of repository clone URLs: https only, no credentials, no query or fragment
 * (tokens belong in Harness secrets, never in a URL). Errors show the URL with its user
 * info, query string, fragment and anything that looks like a token redacted.
 */
import { Token } from 'cdktf';
import { credentialsInUrlPath, redactedUrl, safeDecode } from './credentials';

/** Throws unless `value` is an https clone URL without credentials; `prop` names the property. */
export function validateCloneUrl(prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${prop} must be an https clone URL, got ${redactedUrl(value)}`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`${prop} must use https (the mirror script allows no other transport), got ${redactedUrl(value)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`${prop} must not carry credentials; put the token in a Harness secret and pass it as a SecretRef. Got ${redactedUrl(value)}`);
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    throw new Error(
      `${prop} must not have a query string or fragment (a token there would be written into the configuration; put it in a Harness secret), got ${redactedUrl(value)}`,
    );
  }
  const credentials = credentialsInUrlPath(url);
  if (credentials.length > 0) {
    throw new Error(`${prop} must not carry credentials; its path holds what looks like ${credentials[0]}. Got ${redactedUrl(value)}`);
  }
  if (url.pathname === '/' || url.pathname === '') {
    throw new Error(`${prop} must name a repository path, got ${redactedUrl(value)}`);
  }
  if (/[\s'"`\\]/.test(safeDecode(url.pathname))) {
    throw new Error(`${prop} must not contain spaces, quotes or backslashes, got ${redactedUrl(value)}`);
  }
  // What the mirror script accepts (valid_url in src/scripts/mirror.sh), checked on the text
  // as written: host name, port, and path characters, no empty path segment.
  const [authority, ...path] = value.slice('https://'.length).split('/');
  if (!/^[A-Za-z0-9.:-]+$/.test(authority) || /^[:.-]|:$/.test(authority)) {
    throw new Error(`${prop} must have a host name of letters, digits, '.' and '-' (and a port), got ${redactedUrl(value)}`);
  }
  if (path.some((segment, i) => segment === '' && i < path.length - 1) || !/^[A-Za-z0-9._~:/%+=,@-]*$/.test(path.join('/'))) {
    throw new Error(
      `${prop} must have a path of letters, digits and . _ ~ : % + = , @ - between single slashes, got ${redactedUrl(value)}`,
    );
  }
}

/**
 * A canonical form of a clone URL for comparing repositories: lower-case host, default
 * port dropped, trailing `/` and `.git` removed. Unresolved tokens are returned unchanged.
 */
export function canonicalRepoUrl(value: string): string {
  if (Token.isUnresolved(value)) {
    return value;
  }
  const url = new URL(value);
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return `${url.protocol}//${url.host.toLowerCase()}${path}`;
}

/** Where a Harness Code repository lives, read from its clone URL. */
export interface HarnessCodeRepository {
  /** The account identifier, the path's first segment. */
  readonly accountId: string;
  /** The organization, for an organization- or project-level repository. */
  readonly orgId?: string;
  /** The project, for a project-level repository. */
  readonly projectId?: string;
  /** The repository's identifier, the path's last segment without `.git`. */
  readonly repoIdentifier: string;
}

/** Harness Code (Gitness) repository identifiers: 1 to 100 letters, digits, `-`, `_` or `.`, not ending in `.git`. */
const HARNESS_CODE_REPO_IDENTIFIER = /^[A-Za-z0-9._-]{1,100}$/;
/** Harness account identifiers in clone URLs. */
const HARNESS_ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Harness organization and project identifiers. */
const HARNESS_SCOPE_ID = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Reads account, organization, project and repository from a Harness Code clone URL:
 * `https://<host>/<account>/<org>/<project>/<repo>.git` for a project-level repository,
 * `<account>/<org>/<repo>` for an organization-level one, `<account>/<repo>` for an
 * account-level one (the `.git` ending is optional). Throws, naming `prop`, for any other
 * path or an unresolved token.
 */
export function harnessCodeRepository(prop: string, value: string): HarnessCodeRepository {
  const expected = `${prop} must be a Harness Code repository URL such as https://git.harness.io/<account>/<org>/<project>/<repo>.git `
    + '(<account>/<org>/<repo> for an organization-level repository, <account>/<repo> for an account-level one)';
  if (Token.isUnresolved(value)) {
    throw new Error(`${expected} to register its webhook; got a value known only at apply time`);
  }
  validateCloneUrl(prop, value);
  const segments = new URL(value).pathname.replace(/\/+$/, '').replace(/\.git$/, '').split('/').slice(1);
  const [accountId, ...rest] = segments;
  const repoIdentifier = rest.pop();
  const problem = (() => {
    if (segments.length < 2 || segments.length > 4 || repoIdentifier === undefined) {
      return `its path has ${segments.length} segment${segments.length === 1 ? '' : 's'}, not 2 to 4`;
    }
    if (!HARNESS_ACCOUNT_ID.test(accountId)) {
      return `${JSON.stringify(accountId)} is not an account identifier`;
    }
    const scope = rest.find((s) => !HARNESS_SCOPE_ID.test(s));
    if (scope !== undefined) {
      return `${JSON.stringify(scope)} is not an organization or project identifier`;
    }
    if (!HARNESS_CODE_REPO_IDENTIFIER.test(repoIdentifier) || /\.git$/i.test(repoIdentifier)) {
      return `${JSON.stringify(repoIdentifier)} is not a repository identifier (1 to 100 letters, digits, '-', '_' or '.')`;
    }
    return undefined;
  })();
  if (problem !== undefined) {
    throw new Error(`${expected} to register its webhook; ${problem}: got ${redactedUrl(value)}`);
  }
  return { accountId, orgId: rest[0], projectId: rest[1], repoIdentifier: repoIdentifier! };
}
