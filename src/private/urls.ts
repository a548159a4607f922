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
