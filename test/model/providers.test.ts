import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_REF_PATTERNS,
  expressionGuards,
  GitProvider,
  providerWebhook,
  refFilterCondition,
  triggerConditions,
  validateRefPatterns,
  webhookSetupDescription,
} from '../../src/model/providers';
import { evaluateTriggerConditions, HarnessContext, mappingProblems, resolveExpressions } from '../helpers/harness-expressions';
import { describeWithShared, SHARED_DIR } from '../helpers/shared';
import { synthesizedTriggers } from '../helpers/synthesized-trigger';

/** Real provider payloads, shared outside the repository (CI always has them). */
const SHARED_PAYLOADS = path.join(SHARED_DIR, 'payloads');
/** Hand-written deliveries for what the shared payloads lack: `<name>.json` plus `<name>.headers.json`. */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'payloads');

const ZEROS_40 = '0000000000000000000000000000000000000000';

/**
 * What the triggers of a provider must do with a delivery: exactly one of them (named by
 * its identifier suffix, `''` for the main trigger) starts with these inputs, or none does (null).
 */
type Expected = { readonly trigger: string; readonly reference: string; readonly referenceShaOld: string } | null;

interface Delivery {
  readonly provider: GitProvider;
  readonly headers: Record<string, string>;
  readonly expected: Expected;
}

/** What one delivery did to all triggers of its provider. */
interface Outcome {
  /** The triggers that started, with their inputs as the run resolves them. */
  readonly fired: Array<{ trigger: string; reference: string; referenceShaOld: string }>;
  /** Triggers Harness would skip because evaluating a condition failed: none of ours may rely on that. */
  readonly errors: string[];
}

/**
 * Fires a delivery at every trigger `RepoMirror` synthesizes for `provider` (as terraform
 * evaluates them): their conditions at trigger time, then the started triggers' `reference`
 * / `referenceShaOld` as the run resolves them. Resolved at trigger time as well (Harness
 * does so behind a feature flag), the inputs must come out the same.
 */
function fire(provider: GitProvider, ctx: HarnessContext, refs?: readonly string[]): Outcome {
  const fired: Outcome['fired'] = [];
  const errors: string[] = [];
  for (const trigger of synthesizedTriggers(provider, refs)) {
    const decision = evaluateTriggerConditions(trigger, ctx);
    if (decision.skippedBy === 'error') {
      errors.push(`${trigger.identifier}: ${decision.detail}`);
    }
    if (decision.fires) {
      const reference = resolveExpressions(trigger.inputs.reference, ctx, 'run');
      const referenceShaOld = resolveExpressions(trigger.inputs.referenceShaOld, ctx, 'run');
      expect([resolveExpressions(trigger.inputs.reference, ctx, 'trigger'), resolveExpressions(trigger.inputs.referenceShaOld, ctx, 'trigger')]).toEqual([
        reference,
        referenceShaOld,
      ]);
      fired.push({ trigger: trigger.suffix, reference, referenceShaOld });
    }
  }
  return { fired, errors };
}

function expectOutcome(outcome: Outcome, expected: Expected): void {
  expect(outcome).toEqual({ fired: expected === null ? [] : [expected], errors: [] });
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
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: 'aad331d8d3b131fa9ae03cf5e53965b51942618a' },
  },
  'bitbucket/push.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    headers: BITBUCKET_PUSH,
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: '40e7580cf11311d84a6e5e97e2cbba6df1675750' },
  },
  'bitbucket/push_branch_create.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    headers: BITBUCKET_PUSH,
    // `old` is null for a created branch: Harness renders the missing SHA as `null`.
    expected: { trigger: '', reference: 'refs/heads/develop', referenceShaOld: 'null' },
  },
  'gitea/push.json': {
    provider: GitProvider.GITEA,
    headers: { 'X-Gitea-Event': 'push' },
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: '9836a96a253cce25d17988fcf41b8c4205cf779f' },
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
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: 'a10867b14bb761a232cd80139fbd4c0d33264240' },
  },
  'github/push_branch_create.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { trigger: '', reference: 'refs/heads/feature-branch', referenceShaOld: ZEROS_40 },
  },
  'github/push_branch_delete.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { trigger: '', reference: 'refs/heads/feature-branch', referenceShaOld: 'd2b75aa7797ec26b088fa2dd527e9d2c052fcedd' },
  },
  'github/push_tag.json': {
    provider: GitProvider.GITHUB,
    headers: GITHUB_PUSH,
    expected: { trigger: '', reference: 'refs/tags/v0.0.1', referenceShaOld: ZEROS_40 },
  },
  'gitlab/branch_create.json': {
    provider: GitProvider.GITLAB,
    headers: GITLAB_PUSH,
    expected: { trigger: '', reference: 'refs/heads/feature', referenceShaOld: ZEROS_40 },
  },
  'gitlab/push.json': {
    provider: GitProvider.GITLAB,
    headers: GITLAB_PUSH,
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: '9217710ce8c7e1eae7a5d1c45f6e43e1c769f866' },
  },
  'gitlab/tag_create.json': {
    provider: GitProvider.GITLAB,
    headers: { 'X-Gitlab-Event': 'Tag Push Hook' },
    expected: { trigger: '', reference: 'refs/tags/v1.0.0', referenceShaOld: ZEROS_40 },
  },
  'harness/branch_create.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'branch_created' },
    expected: { trigger: '', reference: 'refs/heads/new2', referenceShaOld: ZEROS_40 },
  },
  'harness/branch_updated.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'branch_updated' },
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: 'a273c385628167932e10caaa58e12550c491f241' },
  },
  'harness/tag_create.json': {
    provider: GitProvider.HARNESS_CODE,
    headers: { 'X-Harness-Trigger': 'tag_created' },
    expected: { trigger: '', reference: 'refs/tags/asd', referenceShaOld: ZEROS_40 },
  },
  'stash/push.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    headers: STASH_PUSH,
    expected: { trigger: '', reference: 'refs/heads/master', referenceShaOld: '5c64a07cd6c0f21b753bf261ef059c7e7633c50a' },
  },
  'stash/push_branch_create.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    headers: STASH_PUSH,
    expected: { trigger: '', reference: 'refs/heads/develop', referenceShaOld: ZEROS_40 },
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

const describeShared = describeWithShared('payloads');

describeShared('shared provider payloads through the mirror trigger', () => {
  test('every shared payload has a case', () => {
    expect(Object.keys(SHARED_CASES).sort()).toEqual(listJson(SHARED_PAYLOADS));
  });

  test.each(Object.entries(SHARED_CASES))('given %s, the trigger resolves the expected reference and old SHA', (file, delivery) => {
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    expectOutcome(fire(delivery.provider, ctx), delivery.expected);
  });

  test.each(Object.entries(SHARED_CASES))('given %s, the shape conditions alone (no ref filter) decide as the default ref filter does', (file, delivery) => {
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    const admitting = providerWebhook(delivery.provider).shapes.filter((shape) => evaluateTriggerConditions(shape, ctx).fires);
    expect(admitting.map((shape) => shape.suffix)).toEqual(delivery.expected === null ? [] : [delivery.expected.trigger]);
  });

  test.each(Object.entries(SHARED_CASES))('given %s without its event header, no trigger starts', (file, delivery) => {
    // Providers that identify the event in the body (Azure DevOps, Harness Code) are exempt.
    if (providerWebhook(delivery.provider).shapes.some((shape) => shape.headerConditions.length === 0)) {
      return;
    }
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: {} };
    expectOutcome(fire(delivery.provider, ctx), null);
  });

  test.each(Object.entries(SHARED_FILTERED))('given %s and refs [refs/heads/master, refs/tags/v*], the trigger starts: %s', (file, admitted) => {
    const delivery = SHARED_CASES[file];
    const ctx = { payload: readJson(path.join(SHARED_PAYLOADS, file)), headers: delivery.headers };
    expect(fire(delivery.provider, ctx, ['refs/heads/master', 'refs/tags/v*']).fired.length).toBe(admitted ? 1 : 0);
  });
});

// ---------------------------------------------------------------------------
// Hand-written deliveries: pings, other events, deletions, SHA-256, several changes.

const FIXTURE_CASES: Record<string, { readonly provider: GitProvider; readonly expected: Expected }> = {
  'azure_devops/pullrequest_created.json': { provider: GitProvider.AZURE_DEVOPS, expected: null },
  'azure_devops/push_branch_create.json': {
    provider: GitProvider.AZURE_DEVOPS,
    expected: { trigger: '', reference: 'refs/heads/feature/new', referenceShaOld: ZEROS_40 },
  },
  'azure_devops/push_branch_delete.json': {
    provider: GitProvider.AZURE_DEVOPS,
    expected: { trigger: '', reference: 'refs/heads/feature/old', referenceShaOld: 'deadfa110123456789abcdef0123456789abcdef' },
  },
  'azure_devops/push_tag_create.json': {
    provider: GitProvider.AZURE_DEVOPS,
    expected: { trigger: '', reference: 'refs/tags/v1.1.0', referenceShaOld: ZEROS_40 },
  },
  'azure_devops/push_tag_delete.json': {
    provider: GitProvider.AZURE_DEVOPS,
    expected: { trigger: '', reference: 'refs/tags/v0.9.0', referenceShaOld: '0badc0de0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/pullrequest_created.json': { provider: GitProvider.BITBUCKET_CLOUD, expected: null },
  'bitbucket_cloud/push_branch_delete.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { trigger: 'delete', reference: 'refs/heads/feature/old', referenceShaOld: 'deadbeef0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/push_tag.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { trigger: 'tag', reference: 'refs/tags/v1.0.0', referenceShaOld: 'null' },
  },
  'bitbucket_cloud/push_tag_delete.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { trigger: 'tag_delete', reference: 'refs/tags/v0.9.0', referenceShaOld: 'feedface0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/push_tag_update.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    expected: { trigger: 'tag', reference: 'refs/tags/v1.0.0', referenceShaOld: '0ddba11a0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_cloud/push_two_branches.json': {
    provider: GitProvider.BITBUCKET_CLOUD,
    // Only the first change; the reconcile run catches refs/heads/develop.
    expected: { trigger: '', reference: 'refs/heads/main', referenceShaOld: '2222222222222222222222222222222222222222' },
  },
  'bitbucket_data_center/diagnostics_ping.json': { provider: GitProvider.BITBUCKET_DATA_CENTER, expected: null },
  'bitbucket_data_center/pr_opened.json': { provider: GitProvider.BITBUCKET_DATA_CENTER, expected: null },
  'bitbucket_data_center/refs_changed_branch_delete.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    expected: { trigger: '', reference: 'refs/heads/feature/old', referenceShaOld: 'c0ffeeee0123456789abcdef0123456789abcdef' },
  },
  'bitbucket_data_center/refs_changed_tag_create.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    expected: { trigger: '', reference: 'refs/tags/v1.1.0', referenceShaOld: ZEROS_40 },
  },
  'bitbucket_data_center/refs_changed_tag_delete.json': {
    provider: GitProvider.BITBUCKET_DATA_CENTER,
    expected: { trigger: '', reference: 'refs/tags/v0.9.0', referenceShaOld: 'abad1dea0123456789abcdef0123456789abcdef' },
  },
  'generic/branch_create_empty_before.json': {
    provider: GitProvider.GENERIC,
    expected: { trigger: '', reference: 'refs/heads/feature/new', referenceShaOld: '' },
  },
  'generic/branch_update.json': {
    provider: GitProvider.GENERIC,
    expected: { trigger: '', reference: 'refs/heads/main', referenceShaOld: '0123456789abcdef0123456789abcdef01234567' },
  },
  'generic/short_ref.json': { provider: GitProvider.GENERIC, expected: null },
  'generic/tag_sha256.json': {
    provider: GitProvider.GENERIC,
    expected: { trigger: '', reference: 'refs/tags/v3.0.0', referenceShaOld: '89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567' },
  },
  'gitea/delete_branch.json': {
    provider: GitProvider.GITEA,
    // A delete event carries no old SHA: its trigger passes an empty one.
    expected: { trigger: 'delete', reference: 'refs/heads/feature/old', referenceShaOld: '' },
  },
  'gitea/delete_tag.json': { provider: GitProvider.GITEA, expected: null },
  'gitea/issues_opened.json': { provider: GitProvider.GITEA, expected: null },
  'gitea/push_branch_create.json': {
    provider: GitProvider.GITEA,
    expected: { trigger: '', reference: 'refs/heads/feature/new', referenceShaOld: ZEROS_40 },
  },
  'gitea/push_sha256.json': {
    provider: GitProvider.GITEA,
    expected: { trigger: '', reference: 'refs/heads/main', referenceShaOld: '4f1a8c3e9b2d7f6a0c5e1b8d3f7a2c6e9b0d4f8a1c5e3b7d2f6a9c0e4b8d1f5a' },
  },
  'gitea/push_tag_create.json': {
    provider: GitProvider.GITEA,
    expected: { trigger: '', reference: 'refs/tags/v2.1.0', referenceShaOld: ZEROS_40 },
  },
  'gitea/push_tag_delete.json': {
    provider: GitProvider.GITEA,
    expected: { trigger: '', reference: 'refs/tags/v2.0.0', referenceShaOld: '6d2b9f4a1c7e3b8d0f5a2c9e4b1d6f3a8c0e5b2d7f4a9c1e6b3d8f0a5c2e7b4d' },
  },
  'github/issues_opened.json': { provider: GitProvider.GITHUB, expected: null },
  'github/ping.json': { provider: GitProvider.GITHUB, expected: null },
  'github/pull_request_opened.json': { provider: GitProvider.GITHUB, expected: null },
  'github/push_forced.json': {
    provider: GitProvider.GITHUB,
    expected: { trigger: '', reference: 'refs/heads/release/1.x', referenceShaOld: '3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c' },
  },
  'github/tag_delete.json': {
    provider: GitProvider.GITHUB,
    expected: { trigger: '', reference: 'refs/tags/v0.9.0', referenceShaOld: '1eaf5eed0123456789abcdef0123456789abcdef' },
  },
  'gitlab/branch_delete.json': {
    provider: GitProvider.GITLAB,
    expected: { trigger: '', reference: 'refs/heads/feature/old', referenceShaOld: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b' },
  },
  'gitlab/merge_request_opened.json': { provider: GitProvider.GITLAB, expected: null },
  'gitlab/system_hook_push.json': { provider: GitProvider.GITLAB, expected: null },
  'gitlab/tag_delete.json': {
    provider: GitProvider.GITLAB,
    expected: { trigger: '', reference: 'refs/tags/v0.9.0', referenceShaOld: '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b' },
  },
  'gitlab/test_issue_hook.json': { provider: GitProvider.GITLAB, expected: null },
  'harness_code/branch_deleted.json': {
    provider: GitProvider.HARNESS_CODE,
    expected: { trigger: '', reference: 'refs/heads/feature/old', referenceShaOld: 'b16b00b50123456789abcdef0123456789abcdef' },
  },
  'harness_code/pullreq_created.json': { provider: GitProvider.HARNESS_CODE, expected: null },
  'harness_code/tag_deleted.json': {
    provider: GitProvider.HARNESS_CODE,
    expected: { trigger: '', reference: 'refs/tags/v0.8.0', referenceShaOld: '5ca1ab1e0123456789abcdef0123456789abcdef' },
  },
  'harness_code/tag_updated.json': {
    provider: GitProvider.HARNESS_CODE,
    expected: { trigger: '', reference: 'refs/tags/v1.0.0', referenceShaOld: 'facade000123456789abcdef0123456789abcdef' },
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

  test('given a GitLab push reported by a system hook, no trigger starts although the body is a push', () => {
    const ctx = fixtureContext('gitlab/system_hook_push.json');
    const [shape] = providerWebhook(GitProvider.GITLAB).shapes;
    expect(evaluateTriggerConditions({ payloadConditions: shape.payloadConditions }, ctx).fires).toBe(true);
    expectOutcome(fire(GitProvider.GITLAB, ctx), null);
  });

  test('given a Forgejo push with only the X-Forgejo-Event header, no trigger starts (Forgejo also sends X-Gitea-Event)', () => {
    const ctx = fixtureContext('gitea/push_sha256.json');
    const forgejoOnly = { payload: ctx.payload, headers: { 'X-Forgejo-Event': 'push' } };
    expectOutcome(fire(GitProvider.GITEA, forgejoOnly), null);
  });

  test('given a Harness Code pull request whose ref is a branch, no trigger starts', () => {
    const ctx = fixtureContext('harness_code/pullreq_created.json');
    expect(resolveExpressions(providerWebhook(GitProvider.HARNESS_CODE).shapes[0].reference, ctx)).toBe('refs/heads/feature/widget');
    expectOutcome(fire(GitProvider.HARNESS_CODE, ctx), null);
  });

  test.each([
    ['gitea/delete_branch.json', 'x-gitea-event'],
    ['gitea/push_tag_delete.json', 'X-GITEA-EVENT'],
    ['bitbucket_cloud/push_tag.json', 'x-event-key'],
    ['bitbucket_data_center/refs_changed_tag_delete.json', 'X-EVENT-KEY'],
  ])('given %s with its event header spelled %s, the same trigger starts (header names are not case-sensitive)', (file, spelling) => {
    const ctx = fixtureContext(file);
    const [name, value] = Object.entries(ctx.headers!).find(([k]) => k.toLowerCase() === spelling.toLowerCase())!;
    const respelled = { payload: ctx.payload, headers: { ...Object.fromEntries(Object.entries(ctx.headers!).filter(([k]) => k !== name)), [spelling]: value } };
    expectOutcome(fire(FIXTURE_CASES[file].provider, respelled), FIXTURE_CASES[file].expected);
  });

  test.each([
    ['bitbucket_cloud/push_tag.json', ['refs/heads/*'], false],
    ['bitbucket_cloud/push_tag.json', ['refs/tags/v1.*'], true],
    ['bitbucket_cloud/push_branch_delete.json', ['refs/heads/feature/*'], true],
    ['bitbucket_cloud/push_branch_delete.json', ['refs/heads/main'], false],
    ['bitbucket_cloud/push_tag_delete.json', ['refs/tags/v0.*'], true],
    ['bitbucket_cloud/push_tag_delete.json', ['refs/heads/*'], false],
    ['gitea/delete_branch.json', ['refs/heads/feature/*'], true],
    ['gitea/delete_branch.json', ['refs/tags/*'], false],
    ['github/push_forced.json', ['refs/heads/main', 'refs/heads/release/*'], true],
    ['github/push_forced.json', ['refs/heads/release/?.x'], true],
    ['github/push_forced.json', ['refs/heads/release'], false],
    ['generic/tag_sha256.json', ['refs/tags/v3.0.?'], true],
    ['generic/tag_sha256.json', ['refs/tags/v3.0'], false],
  ] as const)('given %s and refs %j, the trigger starts: %s', (file, refs, admitted) => {
    const outcome = fire(FIXTURE_CASES[file].provider, fixtureContext(file), refs);
    expect(outcome).toEqual({ fired: admitted ? [FIXTURE_CASES[file].expected] : [], errors: [] });
  });
});

// ---------------------------------------------------------------------------
// Values that carry Harness expressions: a ref name, a header or any body field a sender
// chose, with `<+...>` in it.

/** The secret a hostile value tries to read, and its value in the model's context. */
const SECRET = 'account.target_token';
const SECRET_VALUE = 's3cr3t-value';
const INJECTED = `<+secrets.getValue("${SECRET}")>`;

/** The segments of a payload path as the mappings write it (`trigger.payload.a.b[0]['new'].c`). */
function pathSegments(p: string): Array<string | number> {
  return [...p.replace(/^trigger\.payload/, '').matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']+)'\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3]),
  );
}

/** A copy of the delivery with `INJECTED` appended to the value at `p` (a payload path or `trigger.header['name']`). */
function withInjected(ctx: HarnessContext, p: string): HarnessContext {
  const secrets = { [SECRET]: SECRET_VALUE };
  const headerName = /^trigger\.header\['([^']+)'\]$/.exec(p)?.[1];
  if (headerName !== undefined) {
    const headers = Object.fromEntries(Object.entries(ctx.headers ?? {}).filter(([k]) => k.toLowerCase() !== headerName));
    const value = Object.entries(ctx.headers ?? {}).find(([k]) => k.toLowerCase() === headerName)?.[1] ?? '';
    return { payload: ctx.payload, headers: { ...headers, [headerName]: `${String(value)}${INJECTED}` }, secrets };
  }
  const payload = JSON.parse(JSON.stringify(ctx.payload));
  const segments = pathSegments(p);
  let holder = payload;
  for (const segment of segments.slice(0, -1)) {
    // A created ref's `old` is null: give it the fields the path names.
    holder[segment] ??= {};
    holder = holder[segment];
  }
  const last = segments[segments.length - 1];
  holder[last] = `${holder[last] === null || holder[last] === undefined ? '' : String(holder[last])}${INJECTED}`;
  return { payload, headers: ctx.headers, secrets };
}

/** For every trigger of every provider, a hand-written delivery it starts for. */
const SHAPE_DELIVERIES = Object.values(GitProvider).flatMap((provider) =>
  providerWebhook(provider).shapes.map((shape) => {
    const file = Object.keys(FIXTURE_CASES).find((f) => FIXTURE_CASES[f].provider === provider && FIXTURE_CASES[f].expected?.trigger === shape.suffix);
    return [provider, shape.suffix === '' ? '(main)' : `_${shape.suffix}`, shape, file!] as const;
  }),
);

describe('deliveries whose values carry Harness expressions', () => {
  test('every trigger has a delivery it starts for', () => {
    expect(SHAPE_DELIVERIES.filter(([, , , file]) => file === undefined)).toEqual([]);
  });

  test.each(SHAPE_DELIVERIES)('given %s, trigger %s guards every value it reads, before any other payload condition', (_provider, _suffix, shape) => {
    const paths = [shape.reference, shape.referenceShaOld, ...[...shape.headerConditions, ...shape.payloadConditions].map((c) => c.key)].flatMap((t) =>
      [...t.matchAll(/<\+([^>]*)>/g)].map((m) => m[1]),
    );
    const guards = expressionGuards(shape);
    expect(guards.length).toBe(new Set(paths).size);
    expect(triggerConditions(shape).payloadConditions.slice(0, guards.length)).toEqual(guards);
    for (const p of paths) {
      expect(guards.filter((g) => g.key.includes(`("" + ${p}).contains("<" + "+")>`))).toHaveLength(1);
    }
  });

  test.each(SHAPE_DELIVERIES)(
    'given %s, trigger %s: with an expression in any value it reads, no trigger starts, where without the guards Harness would evaluate it',
    (provider, _suffix, shape, file) => {
      const ctx = fixtureContext(file);
      for (const guard of expressionGuards(shape)) {
        const p = /\("" \+ (.*)\)\.contains\("<" \+ "\+"\)>$/.exec(guard.key)![1];
        const hostile = withInjected(ctx, p);
        // Unguarded, rendering the value (as a condition key or the run's inputYaml does) runs the sender's expression.
        expect(resolveExpressions(`<+${p}>`, hostile, 'run')).toContain(SECRET_VALUE);
        expect({ p, outcome: fire(provider, hostile) }).toEqual({ p, outcome: { fired: [], errors: [] } });
      }
    },
  );

  test('given a ref name with an expression, the unguarded GitHub trigger would start and hand the secret to the run as the reference', () => {
    const hostile = withInjected(fixtureContext('github/push_forced.json'), 'trigger.payload.ref');
    const [shape] = providerWebhook(GitProvider.GITHUB).shapes;
    const unguarded = {
      headerConditions: [...shape.headerConditions],
      payloadConditions: [...shape.payloadConditions, refFilterCondition(shape)],
    };
    expect(evaluateTriggerConditions(unguarded, hostile).fires).toBe(true);
    expect(resolveExpressions(shape.reference, hostile, 'run')).toBe(`refs/heads/release/1.x${SECRET_VALUE}`);
    expect(evaluateTriggerConditions(triggerConditions(shape), hostile)).toEqual({ fires: false, skippedBy: 'conditions', detail: 'payload conditions' });
  });

  test.each([
    ['bitbucket_cloud/push_tag.json', 'a created tag (no old)'],
    ['generic/branch_create_empty_before.json', 'an empty old SHA'],
  ])('given %s, %s, the guards let it through', (file) => {
    expectOutcome(fire(FIXTURE_CASES[file].provider, fixtureContext(file)), FIXTURE_CASES[file].expected);
  });

  test('given a generic delivery without `before`, the trigger starts with no old SHA', () => {
    const ctx = fixtureContext('generic/branch_update.json');
    const payload = Object.fromEntries(Object.entries(ctx.payload as Record<string, unknown>).filter(([k]) => k !== 'before'));
    expectOutcome(fire(GitProvider.GENERIC, { payload, headers: ctx.headers }), { trigger: '', reference: 'refs/heads/main', referenceShaOld: 'null' });
  });
});

describe('the mapping texts Harness evaluates', () => {
  const shapes = Object.values(GitProvider).flatMap((provider) =>
    providerWebhook(provider).shapes.map((shape) => [provider, shape.suffix === '' ? '(main)' : `_${shape.suffix}`, shape] as const),
  );

  test.each(shapes)('given %s, trigger %s reads plain paths: no keyword after a dot, header names in lower case, no + or ternary', (_provider, _suffix, shape) => {
    const texts = [
      shape.reference,
      shape.referenceShaOld,
      ...[...shape.headerConditions, ...shape.payloadConditions].map((c) => c.key),
      ...(shape.jexlCondition ? [shape.jexlCondition] : []),
    ];
    expect(texts.flatMap((t) => mappingProblems(t).map((p) => `${t}: ${p}`))).toEqual([]);
  });

  test('given the old Bitbucket Cloud mapping, the checks find what made it fail in Harness', () => {
    const old =
      '<+<+trigger.payload.push.changes[0].new.name> == null ? (<+trigger.payload.push.changes[0].old.type> == "branch" ? "refs/heads/" : "refs/tags/") + <+trigger.payload.push.changes[0].old.name> : (<+trigger.payload.push.changes[0].new.type> == "branch" ? "refs/heads/" : "refs/tags/") + <+trigger.payload.push.changes[0].new.name>>';
    expect(mappingProblems(old)).toEqual(expect.arrayContaining(["keyword 'new' after a dot", "'+' in an expression", 'a ternary']));
  });

  test('given every provider, the identifiers of its triggers are unique and the main one comes first', () => {
    for (const provider of Object.values(GitProvider)) {
      const suffixes = providerWebhook(provider).shapes.map((shape) => shape.suffix);
      expect(suffixes[0]).toBe('');
      expect(new Set(suffixes).size).toBe(suffixes.length);
    }
  });
});

// ---------------------------------------------------------------------------

describe('providerWebhook', () => {
  test.each(Object.values(GitProvider))('given %s, it documents events, content type and conditions', (provider) => {
    const w = providerWebhook(provider);
    expect(w.contentType).toBe('application/json');
    expect(w.events).not.toBe('');
    // Every trigger must have at least one condition that rejects other events.
    for (const shape of w.shapes) {
      expect(shape.headerConditions.length + shape.payloadConditions.length).toBeGreaterThan(0);
    }
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
    expect(() => providerWebhook('SVN' as GitProvider)).toThrow('Unknown GitProvider "SVN"');
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
    expect(refFilterCondition(providerWebhook(GitProvider.GITHUB).shapes[0])).toEqual({
      key: '<+trigger.payload.ref>',
      operator: 'Regex',
      value: '^(?:refs/heads/.*|refs/tags/.*)$',
    });
  });

  test('given patterns with regex metacharacters, the condition escapes them', () => {
    expect(refFilterCondition(providerWebhook(GitProvider.AZURE_DEVOPS).shapes[0], ['refs/heads/main', 'refs/tags/v1.2+build?']).value).toBe(
      '^(?:refs/heads/main|refs/tags/v1\\.2\\+build.)$',
    );
  });

  test.each(providerWebhook(GitProvider.BITBUCKET_CLOUD).shapes.map((shape) => [shape.suffix, shape] as const))(
    'given Bitbucket Cloud trigger %j, the condition tests the full name the trigger builds',
    (_suffix, shape) => {
      expect(refFilterCondition(shape, ['refs/heads/main']).key).toBe(shape.reference);
      expect(shape.reference).toMatch(/^refs\/(heads|tags)\/<\+trigger\.payload\.push\.changes\[0\]/);
    },
  );

  /** The guard of one value (see `expressionGuards`). */
  const guard = (value: string, absentWhenNull = '') => ({ key: `<+${absentWhenNull}("" + ${value}).contains("<" + "+")>`, operator: 'Equals', value: 'false' });

  test('given the trigger conditions, the expression guards come first and the ref filter after the provider payload conditions', () => {
    expect(triggerConditions(providerWebhook(GitProvider.GITLAB).shapes[0], ['refs/heads/main'])).toEqual({
      headerConditions: [{ key: "<+trigger.header['x-gitlab-event']>", operator: 'In', value: 'Push Hook, Tag Push Hook' }],
      payloadConditions: [
        guard('trigger.payload.ref'),
        guard('trigger.payload.before'),
        guard("trigger.header['x-gitlab-event']"),
        guard('trigger.payload.object_kind'),
        { key: '<+trigger.payload.object_kind>', operator: 'In', value: 'push, tag_push' },
        { key: '<+trigger.payload.ref>', operator: 'StartsWith', value: 'refs/' },
        { key: '<+trigger.payload.ref>', operator: 'Regex', value: '^(?:refs/heads/main)$' },
      ],
    });
    expect(triggerConditions(providerWebhook(GitProvider.GITEA).shapes[1])).toEqual({
      headerConditions: [{ key: "<+trigger.header['x-gitea-event']>", operator: 'Equals', value: 'delete' }],
      payloadConditions: [
        guard('trigger.payload.ref'),
        guard("trigger.header['x-gitea-event']"),
        guard('trigger.payload.ref_type'),
        { key: '<+trigger.payload.ref_type>', operator: 'Equals', value: 'branch' },
        { key: 'refs/heads/<+trigger.payload.ref>', operator: 'Regex', value: '^(?:refs/heads/.*|refs/tags/.*)$' },
      ],
    });
    expect(triggerConditions(providerWebhook(GitProvider.BITBUCKET_CLOUD).shapes[1]).payloadConditions.slice(0, 2)).toEqual([
      guard("trigger.payload.push.changes[0]['new'].name"),
      guard('trigger.payload.push.changes[0].old.target.hash', 'trigger.payload.push.changes[0].old!=null&&'),
    ]);
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
    expect(() => refFilterCondition(providerWebhook(GitProvider.GITHUB).shapes[0], refs)).toThrow(message);
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

  test.each(Object.values(GitProvider))('given %s, the doc shows each trigger\'s mapping and conditions as the code has them', (provider) => {
    const w = providerWebhook(provider);
    // Table cells escape `|` as `\|`; an empty text is written `(empty)`.
    const cell = (s: string) => (s === '' ? '(empty)' : `\`${s.replace(/\|/g, '\\|')}\``);
    for (const shape of w.shapes) {
      const row = doc.split('\n').find((line) => line.startsWith(`| ${w.displayName} | ${shape.suffix === '' ? '(main)' : `\`_${shape.suffix}\``} |`));
      expect(row).toBeDefined();
      expect(row).toContain(` ${cell(shape.reference)} | ${cell(shape.referenceShaOld)} |`);
      for (const c of [...shape.headerConditions, ...shape.payloadConditions]) {
        expect(row).toContain(`${cell(c.key)} ${c.operator} ${cell(c.value)}`);
      }
      if (shape.jexlCondition) {
        expect(row).toContain(cell(shape.jexlCondition));
      }
    }
    expect(doc).toContain(w.events);
  });
});
