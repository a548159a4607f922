/**
 * A credential pasted where a reference or a URL belongs is refused, and neither the error
 * nor the synthesized configuration shows it. Each provider's documented token format is
 * tried against every prop that takes a URL, a secret reference, another reference, a user
 * name or an identifier. The sample tokens are random, made here, in each format.
 */
import { randomBytes } from 'node:crypto';
import { Testing } from 'cdktf';
import { BuildInfrastructure, GitProvider, MirrorPipeline, NotificationRule, RepoMirror, SecretRef, TokenSecret } from '../../src';
import { credentialKind, redactedUrl, shown } from '../../src/private/credentials';
import { newStack } from '../helpers/synth';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function random(length: number, alphabet: string = ALNUM): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** One sample per documented format, made fresh for each run. */
const TOKENS: Array<[string, string]> = [
  ['GitHub classic personal access token', `ghp_${random(36)}`],
  ['GitHub fine-grained personal access token', `github_pat_${random(22)}_${random(59)}`],
  ['GitHub App installation token', `ghs_${random(36)}`],
  ['GitLab personal access token', `glpat-${random(20, `${ALNUM}_-`)}`],
  ['GitLab deploy token', `gldt-${random(20)}`],
  ['Bitbucket app password', `ATBB${random(28)}`],
  ['Bitbucket API token', `ATATT3xFfGF0${random(180, `${ALNUM}_-=`)}`],
  ['Bitbucket access token', `ATCTT3xFfGN0${random(180, `${ALNUM}_-=`)}`],
  ['Harness personal access token', `pat.${random(22)}.${random(24, '0123456789abcdef')}.${random(20)}`],
  ['Azure DevOps personal access token (classic)', random(52, 'abcdefghijklmnopqrstuvwxyz234567')],
  ['Azure DevOps personal access token (2024)', random(84)],
  ['Gitea / Forgejo access token', random(40, '0123456789abcdef')],
  ['Slack bot token', `xoxb-${random(12, '0123456789')}-${random(13, '0123456789')}-${random(24)}`],
  ['random token without a documented prefix', random(40)],
];

/** Every way the token can be passed where it does not belong; each builds a stack around it. */
const PLACES: Array<[string, (token: string) => void]> = [
  ['SecretRef.fromIdentifier(token)', (t) => SecretRef.fromIdentifier(t)],
  ['SecretRef.fromIdentifier("account." + token)', (t) => SecretRef.fromIdentifier(`account.${t}`)],
  ['source.url, token as the user', (t) => pair({ sourceUrl: `https://${encodeURIComponent(t)}@github.com/acme/api.git` })],
  ['source.url, token as the password', (t) => pair({ sourceUrl: `https://x-token-auth:${encodeURIComponent(t)}@bitbucket.org/acme/api.git` })],
  ['source.url, token in the query', (t) => pair({ sourceUrl: `https://gitlab.com/acme/api.git?private_token=${t}` })],
  ['source.url, token in the fragment', (t) => pair({ sourceUrl: `https://gitlab.com/acme/api.git#${t}` })],
  ['source.url, token in the path', (t) => pair({ sourceUrl: `https://gitlab.com/${encodeURIComponent(t)}/api.git` })],
  ['target.url, token in the query', (t) => pair({ targetUrl: `https://gitlab.com/acme/api.git?private_token=${t}` })],
  ['target.url, token as the repository', (t) => pair({ targetUrl: `https://gitea.example.com/acme/${encodeURIComponent(t)}.git` })],
  ['target.url, not a URL', (t) => pair({ targetUrl: `gitlab.com/acme/api.git?private_token=${t}` })],
  ['source.username', (t) => pair({ username: t })],
  ['kubernetes.connectorRef', (t) => BuildInfrastructure.kubernetes({ connectorRef: `account.${t}`, namespace: 'builds' })],
  ['email.userGroups', (t) => NotificationRule.email({ recipients: ['ops@example.com'], userGroups: [t] })],
  ['MirrorPipeline orgId', (t) => new MirrorPipeline(newStack(), 'Mirror', { orgId: t, projectId: 'platform' })],
  ['TokenSecret identifier', (t) => new TokenSecret(newStack(), 'Token', { identifier: t })],
];

function pair(options: { sourceUrl?: string; targetUrl?: string; username?: string }): void {
  const stack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  new RepoMirror(stack, 'Api', {
    pipeline,
    source: {
      url: options.sourceUrl ?? 'https://github.com/acme/api.git',
      provider: GitProvider.GITHUB,
      token: SecretRef.fromIdentifier('account.gh'),
      username: options.username,
    },
    target: { url: options.targetUrl ?? 'https://gitlab.com/acme/api.git', provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.gl') },
  });
  // Reached only if nothing refused the token: the test then scans what was synthesized.
  throw new Error(`accepted; synthesized: ${Testing.synth(stack)}`);
}

/** Whether `text` shows any 8 consecutive characters of the token. */
function shows(text: string, token: string): boolean {
  for (let i = 0; i + 8 <= token.length; i += 1) {
    if (text.includes(token.slice(i, i + 8))) {
      return true;
    }
  }
  return false;
}

describe('credentials where a reference or a URL belongs', () => {
  const cases = TOKENS.flatMap(([format, token]) => PLACES.map(([place, build]) => [format, place, token, build] as const));

  test.each(cases)('given a %s in %s, it is refused and not shown', (_format, _place, token, build) => {
    let message: string | undefined;
    try {
      build(token);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBeDefined();
    expect(message).not.toMatch(/^accepted; synthesized/);
    expect(shows(message!, token)).toBe(false);
  });

  test.each(TOKENS)('given a %s, it is recognised as a credential', (_format, token) => {
    expect(credentialKind(token)).toBeDefined();
  });

  test.each([
    'account.github_mirror_token',
    'harness_code_mirror_token',
    'GithubMirrorTokenForPaymentsLedgerTeamAcme1',
    'payments_ledger_github_mirror_token_2024',
    'repoMirrorHarnessCodeTokenForTheLedgerService',
    'main',
    'x-token-auth',
  ])('given the ordinary name %s, it is not taken for a credential', (name) => {
    expect(credentialKind(name)).toBeUndefined();
  });

  test('given a value that does not look like a credential, errors quote it so the user can find it', () => {
    expect(shown('my-org')).toBe('"my-org"');
    expect(() => new MirrorPipeline(newStack(), 'Mirror', { orgId: 'my-org', projectId: 'platform' })).toThrow('got "my-org"');
  });

  test.each([
    ['https://user:pw@gitlab.com/acme/api.git?private_token=x#frag', '"https://<redacted>@gitlab.com/acme/api.git?<redacted>#<redacted>"'],
    ['https://gitlab.com/acme/api.git?', '"https://gitlab.com/acme/api.git?<redacted>"'],
    ['gitlab.com/acme?x=1', '"gitlab.com/acme<redacted>"'],
    ['ftp://user@host/x?y', '"ftp://<redacted>@host/x?<redacted>"'],
  ])('given the URL %s, an error shows it as %s', (url, expected) => {
    expect(redactedUrl(url)).toBe(expected);
  });

  test('given a URL with a query, the error names the prop, the host and path, and says where the token belongs', () => {
    expect(() => pair({ targetUrl: 'https://gitlab.com/acme/api.git?private_token=abc' })).toThrow(
      'target.url must not have a query string or fragment (a token there would be written into the configuration; put it in a Harness secret), got "https://gitlab.com/acme/api.git?<redacted>"',
    );
  });

  test('given a valid secret reference that is not well formed, the error still does not echo it', () => {
    expect(() => SecretRef.fromIdentifier('my secret!')).toThrow(
      "SecretRef.fromIdentifier must be a Harness secret reference ('id', 'org.id' or 'account.id'), got a value of 10 characters (not shown: it may be a credential)",
    );
  });
});
