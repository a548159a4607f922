/**
 * Validation of repository clone URLs: https only, no credentials, no query or fragment
 * (tokens belong in Harness secrets, never in a URL).
 */
import { Token } from 'cdktf';

/** Throws unless `value` is an https clone URL without credentials; `prop` names the property. */
export function validateCloneUrl(prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${prop} must be an https clone URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`${prop} must use https (the mirror script allows no other transport), got ${JSON.stringify(value)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`${prop} must not carry credentials; put the token in a Harness secret and pass it as a SecretRef. Got a URL with user info for host ${JSON.stringify(url.host)}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(`${prop} must not have a query string or fragment, got ${JSON.stringify(value)}`);
  }
  if (url.pathname === '/' || url.pathname === '') {
    throw new Error(`${prop} must name a repository path, got ${JSON.stringify(value)}`);
  }
  if (/[\s'"`\\]/.test(decodeURIComponent(url.pathname))) {
    throw new Error(`${prop} must not contain spaces, quotes or backslashes, got ${JSON.stringify(value)}`);
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
