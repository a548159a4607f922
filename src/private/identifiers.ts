/**
 * Harness identifiers: validation and the one pure function that derives them from
 * construct ids.
 */
import { Token } from 'cdktf';
import { credentialKind, shown, undisclosed } from './credentials';

/** Harness entity identifiers: a letter or `_`, then letters, digits or `_`; 128 characters at most. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Longest identifier Harness accepts. */
export const MAX_IDENTIFIER_LENGTH = 128;

/**
 * Throws unless `value` is a valid Harness identifier; `prop` names the property in the
 * message. Unresolved tokens are accepted as they are.
 */
export function validateIdentifier(prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const kind = typeof value === 'string' ? credentialKind(value) : undefined;
  if (kind !== undefined) {
    throw new Error(`${prop} must be a Harness identifier, got ${undisclosed(value)}; a credential belongs in a Harness secret`);
  }
  if (typeof value !== 'string' || !IDENTIFIER_PATTERN.test(value)) {
    throw new Error(
      `${prop} must be a Harness identifier (a letter or '_', then letters, digits or '_'; at most ${MAX_IDENTIFIER_LENGTH} characters), got ${shown(value)}`,
    );
  }
}

/** A reference to a Harness entity from a pipeline: `id` (project), `org.id` or `account.id`. */
export const SCOPED_REFERENCE_PATTERN = /^(?:(?:account|org)\.)?[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Throws unless `value` is a scoped Harness reference (`id`, `org.id` or `account.id`) whose
 * identifier does not look like a credential; `what` says what it refers to ("secret",
 * "connector"). With `disclose: false` (secret references) the value is never echoed, valid
 * or not: a string where a secret reference belongs may well be the secret itself.
 * Unresolved tokens are accepted as they are.
 */
export function validateScopedReference(prop: string, value: string, what: string, disclose: boolean = true): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const expected = `${prop} must be a Harness ${what} reference ('id', 'org.id' or 'account.id')`;
  if (typeof value !== 'string') {
    throw new Error(`${expected}, got ${undisclosed(value)}`);
  }
  const kind = credentialKind(value) ?? credentialKind(value.replace(/^(?:account|org)\./, ''));
  if (kind !== undefined) {
    throw new Error(`${expected}, got ${undisclosed(value)}; pass the identifier of the Harness ${what} that holds a credential, never the credential`);
  }
  if (!SCOPED_REFERENCE_PATTERN.test(value)) {
    throw new Error(`${expected}, got ${disclose ? shown(value) : undisclosed(value)}`);
  }
}

/**
 * Derives a Harness identifier from a construct id: words split at camel case and at any
 * character other than a letter or digit, lower-cased, joined with `_`; a leading digit
 * gets a `_` prefix. `MyRepo` -> `my_repo`, `team-a.api` -> `team_a_api`.
 * Throws when nothing usable is left or the result exceeds `maxLength`.
 */
export function deriveIdentifier(prop: string, constructId: string, maxLength: number = MAX_IDENTIFIER_LENGTH): string {
  const words = constructId
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  if (words.length === 0) {
    throw new Error(`${prop}: cannot derive a Harness identifier from construct id ${shown(constructId)}; set ${prop} explicitly`);
  }
  let id = words.join('_');
  if (/^[0-9]/.test(id)) {
    id = `_${id}`;
  }
  if (id.length > maxLength) {
    throw new Error(
      `${prop}: the identifier derived from construct id ${shown(constructId)} is ${id.length} characters, more than ${maxLength}; set ${prop} explicitly`,
    );
  }
  return id;
}
