import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_REF_PATTERNS,
  GitProvider,
  providerWebhook,
  refFilterCondition,
  triggerConditions,
  validateRefPatterns,
  webhookSetupDescription,
} from '../../src/model/providers';
import { evaluateTriggerConditions, HarnessContext, resolveExpressions } from '../helpers/harness-expressions';
import { synthesizedTrigger } from '../helpers/synthesized-trigger';

/** Real provider payloads, shared outside the repository (CI always has them). */
const SHARED_PAYLOADS = path.join(__dirname, '..', '..', '..', 'shared', 'payloads');
/** Hand-written deliveries for what the shared payloads lack: `<name>.json` plus `<name>.headers.json`. */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'payloads');

const ZEROS_40 = '0000000000000000000000000000000000000000';

/** What the trigger must do with a delivery: start with these inputs, or not start (null). */
type Expected = { readonly reference: string; readonly referenceShaOld: string } | null;

interface Delivery {
  readonly provider: GitProvider;
  readonly headers: Record<string, string>;
  readonly expected: Expected;
}

interface Outcome {
  readonly fires: boolean;
  readonly reference?: string;
  readonly referenceShaOld?: string;
}

/**
 * Fires a delivery at the mirror trigger for `provider` as synthesized by `RepoMirror` and
 * evaluated by terraform: its conditions, then its `reference` / `referenceShaOld` inputs.
 */
function fire(provider: GitProvider, ctx: HarnessContext, refs?: readonly string[]): Outcome {
  const trigger = synthesizedTrigger(provider, refs);
  if (!evaluateTriggerConditions(trigger, ctx)) {
    return { fires: false };
  }
  return {
    fires: true,
    reference: resolveExpressions(trigger.inputs.reference, ctx),
    referenceShaOld: resolveExpressions(trigger.inputs.referenceShaOld, ctx),
  };
}

function expectOutcome(outcome: Outcome, expected: Expected): void {
  if (expected === null) {
    expect(outcome).toEqual({ fires: false });
  } else {
    expect(outcome).toEqual({ fires: true, ...expected });
  }
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function listJson(dir: string, exclude: RegExp = /\.headers\.json$/): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && !exclude.test(f))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

// ---------------------------------------------------------------------------
// Shared payloads: bodies only, so each case names the headers the provider sends with it.

const GITHUB_PUSH = { 'X-GitHub-Event': 'push' };
const GITLAB_PUSH = { 'X-Gitlab-Event': 'Push Hook' };
const BITBUCKET_PUSH = { 'X-Event-Key': 'repo:push' };
const STASH_PUSH = { 'X-Event-Key': 'repo:refs_changed' };

const SHARED_CASES: Record<string, Delivery> = {
  'azure/push.json': {
    provider: GitProvider.AZURE_DEVOPS,
    headers: {},
    expected: { reference: 'refs/heads/master', referenceShaOld: 'aad331d8d3b131fa9ae03cf5e53965b51942618a' },
  },
  'bitbucket/push.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    headers: BITBUCKET_PUSH,
    expected: { reference: 'refs/heads/master', referenceShaOld: '40e7580cf11311d84a6e5e97e2cbba6df1675750' },
  },
  'bitbucket/push_branch_create.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    headers: BITBUCKET_PUSH,
    // `old` is null for a created branch: Harness renders the missing SHA as `null`.
    expected: { reference: 'refs/heads/develop', referenceShaOld: 'null' },
  },
  'gitea/push.json': {
    provider: GitProvider.GITEA,
    headers: { 'X-Gitea-Event': 'push' },
    expected: { reference: 'refs/heads/master', referenceShaOld: '9836a96a253cce25d17988fcf41b8c4205cf779f' },
  },
  'gitea/tag_create.json': {
    // A `create` event (short name + ref_type): the tag's push event is what the trigger mirrors.
    provider: GitProvider.GITEA,
    headers: { 'X-Gitea-Event': 'create' },
    expected: null,
  },
  'github/push.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { reference: 'refs/heads/master', referenceShaOld: 'a10867b14bb761a232cd80139fbd4c0d33264240' },
  },
  'github/push_branch_create.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { reference: 'refs/heads/feature-branch', referenceShaOld: ZEROS_40 },
  },
  'github/push_branch_delete.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { reference: 'refs/heads/feature-branch', referenceShaOld: 'd2b75aa7797ec26b088fa2dd527e9d2c052fcedd' },
  },
  'github/push_tag.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { reference: 'refs/tags/v0.0.1', referenceShaOld: ZEROS_40 },
  },
  'gitlab/branch_create.json': {
    provider: GitProvider.GITLAB,
    headers: GITLAB_PUSH,
    expected: { reference: 'refs/heads/feature', referenceShaOld: ZEROS_40 },
  },
  'gitlab/push.json': {
    provider: GitProvider.GITLAB,
    headers: GITLAB_PUSH,
    expected: { reference: 'refs/heads/master', referenceShaOld: '9217710ce8c7e1eae7a5d1c45f6e43e1c769f866' },
  },
  'gitlab/tag_create.json': {
    provider: GitProvider.GITLAB,
    headers: { 'X-Gitlab-Event': 'Tag Push Hook' },
    expected: { reference: 'refs/tags/v1.0.0', referenceShaOld: ZEROS_40 },
  },
  'harness/branch_create.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'branch_created' },
    expected: { reference: 'refs/heads/new2', referenceShaOld: ZEROS_40 },
  },
  'harness/branch_updated.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'branch_updated' },
    expected: { reference: 'refs/heads/master', referenceShaOld: 'a273c385628167932e10caaa58e12550c491f241' },
  },
  'harness/tag_create.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'tag_created' },
    expected: { reference: 'refs/tags/asd', referenceShaOld: ZEROS_40 },
  },
  'stash/push.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    headers: STASH_PUSH,
    expected: { reference: 'refs/heads/master', referenceShaOld: '5c64a07cd6c0f21b753bf261ef059c7e7633c50a' },
  },
  'stash/push_branch_create.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    headers: STASH_PUSH,
    expected: { reference: 'refs/heads/develop', referenceShaOld: ZEROS_40 },
  },
};

/** Which shared deliveries the filter `['refs/heads/master', 'refs/tags/v*']` lets through. */
const SHARED_FILTERED: Record<string, boolean> = {
  'azure/push.json': true,
  'bitbucket/push.json': true,
  'bitbucket/push_branch_create.json': false,
  'gitea/push.json': true,
  'gitea/tag_create.json': false,
  'github/push.json': true,
  'github/push_branch_create.json': false,
  'github/push_branch_delete.json': false,
  'github/push_tag.json': true,
  'gitlab/branch_create.json': false,
  'gitlab/push.json': true,
  'gitlab/tag_create.json': true,
  'harness/branch_create.json': false,
  'harness/branch_updated.json': true,
  'harness/tag_create.json': false,
  'stash/push.json': true,
  'stash/push_branch_create.json': false,
};

const sharedPresent = fs.existsSync(SHARED_PAYLOADS);
if (!sharedPresent) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: the shared provider payloads were not found at ${SHARED_PAYLOADS}; their trigger tests did not run.`);
}
const describeShared = sharedPresent ? describe : describe.skip;

describeShared('shared provider payloads through the mirror trigger', () => {
  test('every shared payload has a case', () => {
    expect(Object.keys(SHARED_CASES).sort()).toEqual(listJson(SHARED_PAYLOADS));
  });

  test.each(Object.entries(SHARED_CASES))('given %s, the trigger resolves the expected reference and old SHA', (file, delivery) => {
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    expectOutcome(fire(delivery.provider, ctx), delivery.expected);
  });

  test.each(Object.entries(SHARED_CASES))('given %s, the provider conditions alone decide as the default ref filter does', (file, delivery) => {
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    const webhook = providerWebhook(delivery.provider);
    expect(evaluateTriggerConditions(webhook, ctx)).toBe(delivery.expected !== null);
  });

  test.each(Object.entries(SHARED_CASES))('given %s without its event header, the trigger does not start', (file, delivery) => {
    // Providers that identify the event in the body (Azure DevOps, Harness Code) are exempt.
    const webhook = providerWebhook(delivery.provider);
    if (webhook.headerConditions.length === 0) {
      return;
    }
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: {} };
    expect(fire(delivery.provider, ctx)).toEqual({ fires: false });
  });

  test.each(Object.entries(SHARED_FILTERED))('given %s and refs [refs/heads/master, refs/tags/v*], the trigger starts: %s', (file, admitted) => {
    const delivery = SHARED_CASES[file];
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    expect(fire(delivery.provider, ctx, ['refs/heads/master', 'refs/tags/v*']).fires).toBe(admitted);
  });
});

// ---------------------------------------------------------------------------
// Hand-written deliveries: pings, other events, deletions, SHA-256, several changes.

const FIXTURE_CASES: Record<string, { readonly provider: GitProvider; readonly expected: Expected }> = {
  'azure_devops/pullrequest_created.json': { provider: GitProvider.AZURE_DEVOPS, expected: null },
  'azure_devops/push_tag_delete.json': {
    provider: GitProvider.AZURE_DEVOPS,
    expected: { reference: 'refs/tags/v0.9.0', referenceShaOld: '0badc0de0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/pullrequest_created.json': { provider: GitProvider.BITBUCKET_CLOUD, expected: null },
  'bitbucket_cloud/push_branch_delete.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { reference: 'refs/heads/feature/old', referenceShaOld: 'deadbeef0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/push_tag.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { reference: 'refs/tags/v1.0.0', referenceShaOld: 'null' },
  },
  'bitbucket_cloud/push_tag_delete.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { reference: 'refs/tags/v0.9.0', referenceShaOld: 'feedface0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/push_two_branches.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    // Only the first change; the reconcile run catches refs/heads/develop.
    expected: { reference: 'refs/heads/main', referenceShaOld: '2222222222222222222222222222222222222222' },
  },
  'bitbucket_data_center/diagnostics_ping.json': { provider: GitProvider.BITBUCKET_DATA_CENTER, expected: null },
  'bitbucket_data_center/pr_opened.json': { provider: GitProvider.BITBUCKET_DATA_CENTER, expected: null },
  'bitbucket_data_center/refs_changed_tag_delete.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    expected: { reference: 'refs/tags/v0.9.0', referenceShaOld: 'abad1dea0123456789abcdef0123456789abcdef' },
  },
  'generic/branch_create_empty_before.json': {
    provider: GitProvider.GENERIC,
    expected: { reference: 'refs/heads/feature/new', referenceShaOld: '' },
  },
  'generic/branch_update.json': {
    provider: GitProvider.GENERIC,
    expected: { reference: 'refs/heads/main', referenceShaOld: '0123456789abcdef0123456789abcdef01234567' },
  },
  'generic/short_ref.json': { provider: GitProvider.GENERIC, expected: null },
  'generic/tag_sha256.json': {
    provider: GitProvider.GENERIC,
    expected: { reference: 'refs/tags/v3.0.0', referenceShaOld: '89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567' },
  },
  'gitea/delete_branch.json': {
    provider: GitProvider.GITEA,
    // A delete event carries no old SHA.
    expected: { reference: 'refs/heads/feature/old', referenceShaOld: 'null' },
  },
  'gitea/delete_tag.json': { provider: GitProvider.GITEA, expected: null },
  'gitea/issues_opened.json': { provider: GitProvider.GITEA, expected: null },
  'gitea/push_sha256.json': {
    provider: GitProvider.GITEA,
    expected: { reference: 'refs/heads/main', referenceShaOld: '4f1a8c3e9b2d7f6a0c5e1b8d3f7a2c6e9b0d4f8a1c5e3b7d2f6a9c0e4b8d1f5a' },
  },
  'gitea/push_tag_delete.json': {
    provider: GitProvider.GITEA,
    expected: { reference: 'refs/tags/v2.0.0', referenceShaOld: '6d2b9f4a1c7e3b8d0f5a2c9e4b1d6f3a8c0e5b2d7f4a9c1e6b3d8f0a5c2e7b4d' },
  },
  'github/issues_opened.json': { provider: GitProvider.GITHUB, expected: null },
  'github/ping.json': { provider: GitProvider.GITHUB, expected: null },
  'github/pull_request_opened.json': { provider: GitProvider.GITHUB, expected: null },
  'github/push_forced.json': {
    provider: GitProvider.GITHUB,
    expected: { reference: 'refs/heads/release/1.x', referenceShaOld: '3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c' },
  },
  'gitlab/branch_delete.json': {
    provider: GitProvider.GITLAB,
    expected: { reference: 'refs/heads/feature/old', referenceShaOld: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b' },
  },
  'gitlab/merge_request_opened.json': { provider: GitProvider.GITLAB, expected: null },
  'gitlab/system_hook_push.json': { provider: GitProvider.GITLAB, expected: null },
  'gitlab/tag_delete.json': {
    provider: GitProvider.GITLAB,
    expected: { reference: 'refs/tags/v0.9.0', referenceShaOld: '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b' },
  },
  'gitlab/test_issue_hook.json': { provider: GitProvider.GITLAB, expected: null },
  'harness_code/branch_deleted.json': {
    provider: GitProvider.HARNESS_CODE,
    expected: { reference: 'refs/heads/feature/old', referenceShaOld: 'b16b00b50123456789abcdef0123456789abcdef' },
  },
  'harness_code/pullreq_created.json': { provider: GitProvider.HARNESS_CODE, expected: null },
  'harness_code/tag_updated.json': {
    provider: GitProvider.HARNESS_CODE,
    expected: { reference: 'refs/tags/v1.0.0', referenceShaOld: 'facade000123456789abcdef0123456789abcdef' },
  },
};

function fixtureContext(file: string): HarnessContext {
  const body = path.join(FIXTURES, file);
  return {
    payload: readJson(body),
    headers: readJson(body.replace(/\.json$/, '.headers.json')) as Record<string, string>,
  };
}

describe('hand-written deliveries through the mirror trigger', () => {
  test('every fixture has a case and a headers file', () => {
    expect(Object.keys(FIXTURE_CASES).sort()).toEqual(listJson(FIXTURES));
    for (const file of Object.keys(FIXTURE_CASES)) {
      expect(fs.existsSync(path.join(FIXTURES, file.replace(/\.json$/, '.headers.json')))).toBe(true);
    }
  });

  test.each(Object.entries(FIXTURE_CASES))('given %s, the trigger resolves the expected reference and old SHA, or does not start', (file, c) => {
    expectOutcome(fire(c.provider, fixtureContext(file)), c.expected);
  });

  test('given a GitLab push reported by a system hook, the trigger does not start although the body is a push', () => {
    const ctx = fixtureContext('gitlab/system_hook_push.json');
    expect(evaluateTriggerConditions({ payloadConditions: providerWebhook(GitProvider.GITLAB).payloadConditions }, ctx)).toBe(true);
    expect(fire(GitProvider.GITLAB, ctx)).toEqual({ fires: false });
  });

  test('given a Forgejo push with only the X-Forgejo-Event header, the trigger does not start (Forgejo also sends X-Gitea-Event)', () => {
    const ctx = fixtureContext('gitea/push_sha256.json');
    const forgejoOnly = { payload: ctx.payload, headers: { 'X-Forgejo-Event': 'push' } };
    expect(fire(GitProvider.GITEA, forgejoOnly)).toEqual({ fires: false });
  });

  test('given a Harness Code pull request whose ref is a branch, the trigger does not start', () => {
    const ctx = fixtureContext('harness_code/pullreq_created.json');
    expect(resolveExpressions(providerWebhook(GitProvider.HARNESS_CODE).reference, ctx)).toBe('refs/heads/feature/widget');
    expect(fire(GitProvider.HARNESS_CODE, ctx)).toEqual({ fires: false });
  });

  test.each([
    ['bitbucket_cloud/push_tag.json', ['refs/heads/*'], false],
    ['bitbucket_cloud/push_tag.json', ['refs/tags/v1.*'], true],
    ['bitbucket_cloud/push_branch_delete.json', ['refs/heads/feature/*'], true],
    ['bitbucket_cloud/push_branch_delete.json', ['refs/heads/main'], false],
    ['gitea/delete_branch.json', ['refs/heads/feature/*'], true],
    ['gitea/delete_branch.json', ['refs/tags/*'], false],
    ['github/push_forced.json', ['refs/heads/main', 'refs/heads/release/*'], true],
    ['github/push_forced.json', ['refs/heads/release/?.x'], true],
    ['github/push_forced.json', ['refs/heads/release'], false],
    ['generic/tag_sha256.json', ['refs/tags/v3.0.?'], true],
    ['generic/tag_sha256.json', ['refs/tags/v3.0'], false],
  ] as const)('given %s and refs %j, the trigger starts: %s', (file, refs, admitted) => {
    expect(fire(FIXTURE_CASES[file].provider, fixtureContext(file), refs).fires).toBe(admitted);
  });
});

// ---------------------------------------------------------------------------

describe('providerWebhook', () => {
  test.each(Object.values(GitProvider))('given %s, it documents events, content type and conditions', (provider) => {
    const w = providerWebhook(provider);
    expect(w.contentType).toBe('application/json');
    expect(w.events).not.toBe('');
    // Every provider must have at least one condition that rejects other events.
    expect(w.headerConditions.length + w.payloadConditions.length).toBeGreaterThan(0);
  });

  test('given the providers whose deliveries carry several ref changes, it says so', () => {
    const multiple = Object.values(GitProvider).filter((p) => providerWebhook(p).multipleChanges);
    expect(multiple).toEqual([GitProvider.BITBUCKET_CLOUD, GitProvider.BITBUCKET_DATA_CENTER, GitProvider.AZURE_DEVOPS]);
    for (const p of multiple) {
      expect(providerWebhook(p).limits[0]).toBe(
        'One delivery can carry several ref changes: the trigger mirrors the first and the reconcile run catches the rest.',
      );
    }
  });

  test('given an unknown provider, it throws', () => {
    expect(() => providerWebhook('SVN' as GitProvider)).toThrow("Unknown GitProvider 'SVN'");
  });

  test('given GitHub, the setup description names the content type and events', () => {
    expect(webhookSetupDescription(GitProvider.GITHUB)).toBe(
      'Register as a webhook of the GitHub source repository: content type application/json, events: Just the push event.',
    );
  });

  test('given the generic provider, the setup description gives the body to send', () => {
    expect(webhookSetupDescription(GitProvider.GENERIC)).toBe(
      'Have the source git server send, with content type application/json: One POST per changed ref with the body {"ref": "<full ref name>", "before": "<old SHA, or empty>"}.',
    );
  });
});

describe('ref filters', () => {
  test('given no patterns, the filter admits all branches and tags', () => {
    expect(DEFAULT_REF_PATTERNS).toEqual(['refs/heads/*', 'refs/tags/*']);
    expect(refFilterCondition(GitProvider.GITHUB)).toEqual({
      key: '<+trigger.payload.ref>',
      operator: 'Regex',
      value: '^(?:refs/heads/.*|refs/tags/.*)$',
    });
  });

  test('given patterns with regex metacharacters, the condition escapes them', () => {
    expect(refFilterCondition(GitProvider.AZURE_DEVOPS, ['refs/heads/main', 'refs/tags/v1.2+build?']).value).toBe(
      '^(?:refs/heads/main|refs/tags/v1\\.2\\+build.)$',
    );
  });

  test('given Bitbucket Cloud, the condition tests the full name the trigger builds', () => {
    expect(refFilterCondition(GitProvider.BITBUCKET_CLOUD, ['refs/heads/main']).key).toBe(providerWebhook(GitProvider.BITBUCKET_CLOUD).reference);
  });

  test('given the trigger conditions, the ref filter comes after the provider payload conditions', () => {
    expect(triggerConditions(GitProvider.GITLAB, ['refs/heads/main'])).toEqual({
      headerConditions: [{ key: "<+trigger.header['X-Gitlab-Event']>", operator: 'In', value: 'Push Hook, Tag Push Hook' }],
      payloadConditions: [
        { key: '<+trigger.payload.object_kind>', operator: 'In', value: 'push, tag_push' },
        { key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' },
        { key: '<+trigger.payload.ref>', operator: 'Regex', value: '^(?:refs/heads/main)$' },
      ],
    });
    expect(triggerConditions(GitProvider.GITEA).jexlCondition).toBe(providerWebhook(GitProvider.GITEA).jexlCondition);
  });

  test.each([
    [[], 'refs: must list at least one ref pattern (leave it undefined to mirror all branches and tags)'],
    [['refs/heads/main', 'heads/main'], 'refs[1]: "heads/main" is not a valid ref pattern: must start with \'refs/\''],
    [['refs/heads/feat ure'], 'refs[0]: "refs/heads/feat ure" is not a valid ref pattern: may contain only letters, digits'],
    [['refs/heads/<+secret>'], 'refs[0]: "refs/heads/<+secret>" is not a valid ref pattern: may contain only'],
    [['refs/heads/${x}'], 'refs[0]: "refs/heads/${x}" is not a valid ref pattern: may contain only'],
    [['refs/heads/[ab]'], 'refs[0]: "refs/heads/[ab]" is not a valid ref pattern: may contain only'],
    [['refs/heads//x'], 'refs[0]: "refs/heads//x" is not a valid ref pattern: must not contain an empty path component'],
    [['refs/heads/'], 'refs[0]: "refs/heads/" is not a valid ref pattern: must not contain an empty path component'],
    [['refs/heads/a..b'], 'refs[0]: "refs/heads/a..b" is not a valid ref pattern: must not contain \'..\''],
    [['refs/heads/x.'], 'refs[0]: "refs/heads/x." is not a valid ref pattern: must not end with \'.\''],
    [['refs/heads/.hidden'], 'refs[0]: "refs/heads/.hidden" is not a valid ref pattern: path component \'.hidden\' must not start with \'.\''],
    [['refs/heads/x.lock'], 'refs[0]: "refs/heads/x.lock" is not a valid ref pattern: path component \'x.lock\' must not end with \'.lock\''],
    [[''], 'refs[0]: "" is not a valid ref pattern: must be a non-empty string'],
  ])('given refs %j, validation throws naming the element', (refs, message) => {
    expect(() => validateRefPatterns(refs)).toThrow(message);
    expect(() => refFilterCondition(GitProvider.GITHUB, refs)).toThrow(message);
  });

  test('given a prop name, validation names it', () => {
    expect(() => validateRefPatterns(['main'], 'mirrorRefs')).toThrow('mirrorRefs[0]: "main" is not a valid ref pattern');
  });

  test('given valid patterns, validation passes', () => {
    expect(() => validateRefPatterns(['refs/heads/main', 'refs/heads/release/*', 'refs/tags/v*', 'refs/tags/v1.?', 'refs/*'])).not.toThrow();
  });
});

describe('docs/providers.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'providers.md'), 'utf8');

  test.each(Object.values(GitProvider))('given %s, the doc shows its mapping and conditions as the code has them', (provider) => {
    const w = providerWebhook(provider);
    // Table cells escape `|` as `\|`.
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    expect(doc).toContain(`\`${cell(w.reference)}\``);
    expect(doc).toContain(`\`${cell(w.referenceShaOld)}\``);
    for (const c of [...w.headerConditions, ...w.payloadConditions]) {
      expect(doc).toContain(`\`${cell(c.key)}\` ${c.operator} \`${cell(c.value)}\``);
    }
    if (w.jexlCondition) {
      expect(doc).toContain(`\`${cell(w.jexlCondition)}\``);
    }
    expect(doc).toContain(w.events);
  });
});
