/**
 * Ref-name glob patterns, shared by the webhook trigger (as a regular expression) and the
 * mirror script (as a POSIX shell `case` pattern). Both must accept exactly the same refs,
 * so the pattern language is the part of shell globbing that means the same thing in both:
 *
 * - `*` matches any sequence of characters, including the empty one and including `/`
 *   (as in a shell `case` pattern: `refs/heads/*` matches `refs/heads/feature/x`);
 * - `?` matches exactly one character (also `/`);
 * - every other character matches itself; there are no bracket expressions, braces or
 *   escapes.
 *
 * A pattern is matched against the whole full ref name (`refs/heads/main`), never a part.
 */

/**
 * The characters a pattern may contain besides `*` and `?`: a conservative subset of what
 * git allows in ref names (`git check-ref-format`). It leaves out everything a shell, a
 * Harness expression (`<+`) or Terraform (`${`, `%{`) would read as syntax.
 */
const PATTERN_CHARS = /^[A-Za-z0-9._\-/+@=,%#*?]+$/;

/** Returns why `pattern` is not a valid ref pattern, or `undefined` when it is valid. */
export function refPatternProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return 'must be a non-empty string';
  }
  if (!pattern.startsWith('refs/')) {
    return "must start with 'refs/' (a full ref name such as 'refs/heads/main' or 'refs/tags/v*')";
  }
  if (!PATTERN_CHARS.test(pattern)) {
    return 'may contain only letters, digits, the characters . _ - / + @ = , % # and the wildcards * and ?';
  }
  if (pattern.includes('//') || pattern.endsWith('/')) {
    return 'must not contain an empty path component';
  }
  if (pattern.includes('..')) {
    return "must not contain '..'";
  }
  if (pattern.endsWith('.')) {
    return "must not end with '.'";
  }
  for (const component of pattern.split('/')) {
    if (component.startsWith('.')) {
      return `path component '${component}' must not start with '.'`;
    }
    if (component.endsWith('.lock')) {
      return `path component '${component}' must not end with '.lock'`;
    }
  }
  return undefined;
}

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/**
 * The regular expression (source text, no anchors) equivalent to one glob pattern.
 * The result reads the same in Java (Harness) and JavaScript.
 */
export function globToRegex(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') {
      out += '.*';
    } else if (ch === '?') {
      out += '.';
    } else {
      out += ch.replace(REGEX_SPECIAL, (c) => `\\${c}`);
    }
  }
  return out;
}

/**
 * One anchored regular expression that matches a ref name if any of the patterns matches it
 * as a whole, e.g. `^(?:refs/heads/main|refs/tags/v.*)$`. The anchors make the result
 * independent of whether the engine tests a full match (Java `matches()`) or a substring.
 */
export function globsToRegex(patterns: readonly string[]): string {
  return `^(?:${patterns.map(globToRegex).join('|')})$`;
}
