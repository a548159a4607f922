/**
 * Credentials that end up where a reference or a URL belongs: recognising them, and
 * showing a value in an error message without ever printing a credential.
 *
 * A prop that names a Harness secret, a connector or a user group is a reference, never the
 * credential itself; a token pasted there by mistake must neither be accepted (it would be
 * written into `cdk.tf.json` and the plan) nor be echoed by the error that refuses it.
 */

/** A documented token format: a prefix or a whole-value shape, and what it is, for the error message. */
interface CredentialFormat {
  readonly test: RegExp;
  readonly kind: string;
}

/**
 * Token formats the providers document. Prefixes are matched case-sensitively at the start
 * of the value (or of a URL component), shapes against the whole value.
 */
const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  // GitHub: https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats
  // (ghp_ personal, github_pat_ fine-grained, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh).
  { test: /^(?:gh[pousr]_|github_pat_)/, kind: 'a GitHub token' },
  // GitLab: https://docs.gitlab.com/ee/security/tokens/#token-prefixes (personal, OAuth, deploy,
  // runner, CI/CD job, pipeline trigger, feed, incoming mail, agent, SCIM, feature-flag client,
  // workspace and service-account tokens); an instance may put its own prefix before them.
  {
    test: /^(?:[A-Za-z0-9]{1,20}-)?(?:glpat|gloas|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent|glsoat|glffct|gltst|glwt)-/,
    kind: 'a GitLab token',
  },
  // Bitbucket Cloud: API tokens ATAT..., app passwords ATBB..., repository/project/workspace
  // access tokens ATCT... (Atlassian's answer in the Bitbucket community thread
  // "Can we confirm BitBucket's token prefixes?", 2025).
  { test: /^AT(?:AT|BB|CT)[A-Za-z0-9_=-]{16,}/, kind: 'a Bitbucket token or app password' },
  // Harness API keys: pat.<account>.<key>.<secret> (personal) and sat.<...> (service account).
  { test: /^(?:pat|sat)\.[A-Za-z0-9_-]+\./, kind: 'a Harness API token' },
  // Azure DevOps personal access tokens: 52 lowercase base-32 characters (the classic
  // format) or 84 letters and digits (the format introduced in 2024).
  { test: /^(?:[a-z2-7]{52}|[A-Za-z0-9]{84})$/, kind: 'an Azure DevOps personal access token' },
  // Gitea / Forgejo access tokens: 40 hex digits (a SHA-1); 64 for good measure (SHA-256).
  { test: /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, kind: 'a Gitea or Forgejo access token' },
  // Slack tokens and incoming-webhook URLs (https://api.slack.com/authentication/token-types).
  { test: /^(?:xox[abposr]-|xapp-|https:\/\/hooks\.slack\.com\/)/, kind: 'a Slack token or webhook URL' },
];

/** Shortest value the generic "random-looking" rule considers. */
const RANDOM_MIN_LENGTH = 32;
/** Shannon entropy, in bits per character, from which a long value may be random. */
const RANDOM_MIN_ENTROPY = 4.0;
/** Share of vowels among the letters below which letters are not words (English text: about 0.38). */
const RANDOM_MAX_VOWEL_SHARE = 0.25;
/** Runs of digits from which digits are scattered through a value rather than a version or a year. */
const RANDOM_MIN_DIGIT_RUNS = 3;

function entropyPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long run of characters without word breaks whose letters are not words (few vowels) or
 * whose digits are scattered through it, with a high entropy: what generated tokens look
 * like, and what identifiers people write (`payments_github_token`, `GithubMirrorToken2024`)
 * do not.
 */
function looksRandom(value: string): boolean {
  if (value.length < RANDOM_MIN_LENGTH || /[_\s]/.test(value) || entropyPerCharacter(value) < RANDOM_MIN_ENTROPY) {
    return false;
  }
  const letters = value.replace(/[^A-Za-z]/g, '');
  const vowelShare = letters.replace(/[^aeiouAEIOU]/g, '').length / Math.max(letters.length, 1);
  const digitRuns = (value.match(/[0-9]+/g) ?? []).length;
  return vowelShare < RANDOM_MAX_VOWEL_SHARE || digitRuns >= RANDOM_MIN_DIGIT_RUNS;
}

/**
 * What kind of credential `value` looks like, or undefined when it does not look like one:
 * a documented token format, or a long random-looking run of characters with no word
 * breaks (identifiers people write are words joined by `_`).
 */
export function credentialKind(value: string): string | undefined {
  const format = CREDENTIAL_FORMATS.find((f) => f.test.test(value));
  if (format) {
    return format.kind;
  }
  if (looksRandom(value)) {
    return 'a random string, like a token';
  }
  return undefined;
}

/** A description of a value that is never shown: its type and length, and what it looks like. */
export function undisclosed(value: unknown): string {
  if (typeof value !== 'string') {
    return value === undefined || value === null ? 'nothing' : `a value of type ${typeof value}`;
  }
  const kind = credentialKind(value);
  return `a value of ${value.length} characters${kind ? ` that looks like ${kind}` : ''} (not shown: it may be a credential)`;
}

/**
 * A value for an error message: quoted as JSON, unless it looks like a credential, in which
 * case only its length and kind are given.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string' && credentialKind(value) !== undefined) {
    return undisclosed(value);
  }
  return JSON.stringify(value);
}

/**
 * A URL for an error message: user info, query string and fragment replaced by `<redacted>`,
 * path segments that look like credentials too. A value that does not parse as a URL is cut
 * at the first `?` or `#` and stripped of anything up to an `@`.
 */
export function redactedUrl(value: unknown): string {
  if (typeof value !== 'string') {
    return undisclosed(value);
  }
  const redactPath = (path: string) =>
    path
      .split('/')
      .map((segment) => (segmentCredential(segment) ? '<redacted>' : segment))
      .join('/');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const cut = value.split(/[?#]/)[0];
    const at = cut.lastIndexOf('@');
    const schemeEnd = cut.indexOf('://');
    const withoutUser = at >= 0 ? `${schemeEnd >= 0 ? cut.slice(0, schemeEnd + 3) : ''}<redacted>@${cut.slice(at + 1)}` : cut;
    return JSON.stringify(redactPath(withoutUser) + (cut.length < value.length ? '<redacted>' : ''));
  }
  const userInfo = url.username !== '' || url.password !== '' ? '<redacted>@' : '';
  const query = url.search !== '' || value.includes('?') ? '?<redacted>' : '';
  const fragment = url.hash !== '' || value.includes('#') ? '#<redacted>' : '';
  return JSON.stringify(`${url.protocol}//${userInfo}${url.host}${redactPath(url.pathname)}${query}${fragment}`);
}

/** The path segments of `value` (a URL) that look like credentials, as kinds; empty when none. */
export function credentialsInUrlPath(url: URL): string[] {
  return url.pathname
    .split('/')
    .map(segmentCredential)
    .filter((kind): kind is string => kind !== undefined);
}

/** What credential a URL path segment (decoded, with or without a `.git` ending) looks like, if any. */
function segmentCredential(segment: string): string | undefined {
  const decoded = safeDecode(segment);
  return credentialKind(decoded) ?? credentialKind(decoded.replace(/\.git$/, ''));
}

/** `text` URL-decoded, or as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
