/**
 * Harness display names: letters, digits, `_`, `-`, `.` and spaces, at most 128
 * characters (the pattern of Harness's trigger schema, the strictest of the entities).
 */
import { Token } from 'cdktf';
import { shown } from './credentials';

/** The name pattern of Harness's official trigger schema. */
export const NAME_PATTERN = /^[a-zA-Z_0-9-.][-0-9a-zA-Z_\s.]{0,127}$/;

/** Throws unless `value` is a valid Harness name; `prop` names the property. */
export function validateName(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !NAME_PATTERN.test(value)) {
    throw new Error(
      `${prop} must be a Harness name (letters, digits, '_', '-', '.', spaces; at most 128 characters), got ${shown(value)}`,
    );
  }
}

/** Turns free text into a valid Harness name: other characters become spaces, runs of spaces collapse, cut to 128. */
export function toName(text: string): string {
  const cleaned = text.replace(/[^-0-9a-zA-Z_\s.]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (cleaned === '' ? 'mirror' : cleaned).slice(0, 128).trim();
}
