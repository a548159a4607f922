import { TerraformStack, Testing } from 'cdktf';
import * as YAML from 'yaml';
import { GitProvider, HarnessCodeMirrorAccount, MirrorPipeline, RepoEndpoint, RepoMirror, RepoMirrorProps, SecretRef, TokenSecret } from '../../src';
import { PlatformInputSet } from '../../src/gen/providers/harness/platform-input-set';
import { PlatformTriggers } from '../../src/gen/providers/harness/platform-triggers';
import { newStack, resourcesOfType, synthStack, YamlVariable } from '../helpers/synth';

const GITHUB = {
  url: 'https://github.com/acme/api.git',
  provider: GitProvider.GITHUB,
  token: SecretRef.fromIdentifier('account.github_token'),
};
const HARNESS = {
  url: 'https://git.harness.io/acct/default/platform/api.git',
  provider: GitProvider.HARNESS_CODE,
  token: SecretRef.fromIdentifier('harness_code_token'),
};
const GITLAB = {
  url: 'https://gitlab.com/acme/api.git',
  provider: GitProvider.GITLAB,
  token: SecretRef.fromIdentifier('org.gitlab_token'),
};

function setup(props: Partial<RepoMirrorProps> = {}, id = 'Api'): { stack: TerraformStack; mirror: RepoMirror; pipeline: MirrorPipeline } {
  const stack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  const mirror = new RepoMirror(stack, id, { pipeline, source: GITHUB, target: HARNESS, ...props });
  return { stack, mirror, pipeline };
}

describe('RepoMirror, one-way', () => {
  test('given a pair, when synthesized, then one input set, one trigger and one webhook URL output', () => {
    const { stack } = setup();
    const synth = synthStack(stack);
    expect(resourcesOfType(synth, 'harness_platform_input_set')).toHaveLength(1);
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(1);
    expect(Object.keys(synth.output ?? {})).toHaveLength(1);
  });

  test('the input set holds both tokens as secret references and both URLs, for the pipeline', () => {
    const { stack, mirror } = setup();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformInputSet, {
      identifier: 'api_forward',
      name: 'Api - GitHub to Harness Code',
      org_id: 'default',
      project_id: 'platform',
    });
    // The pipeline is named by a reference, so Terraform creates it first (test/apply-order.test.ts).
    const [pipelineId] = Object.keys(synthStack(stack).resource!.harness_platform_pipeline);
    expect(resourcesOfType(synthStack(stack), 'harness_platform_input_set')[0].pipeline_id).toBe(`\${harness_platform_pipeline.${pipelineId}.identifier}`);
    const doc = YAML.parse(mirror.forward.inputSetYaml).inputSet;
    expect(doc.identifier).toBe('api_forward');
    expect(doc.orgIdentifier).toBe('default');
    expect(doc.projectIdentifier).toBe('platform');
    expect(doc.pipeline.identifier).toBe('repo_mirror');
    expect(doc.pipeline.variables).toEqual([
      { name: 'sourceToken', type: 'Secret', value: 'account.github_token' },
      { name: 'sourceURL', type: 'String', value: 'https://github.com/acme/api.git' },
      { name: 'targetToken', type: 'Secret', value: 'harness_code_token' },
      { name: 'targetURL', type: 'String', value: 'https://git.harness.io/acct/default/platform/api.git' },
      { name: 'refFilters', type: 'String', value: '' },
      { name: 'sourceUsername', type: 'String', value: 'git' },
      { name: 'targetUsername', type: 'String', value: 'git' },
      { name: 'twoWay', type: 'String', value: 'false' },
      { name: 'maxRefsPerPush', type: 'String', value: '100' },
    ]);
  });

  test('the trigger is a custom webhook trigger on the pipeline, using the input set and mapping the GitHub payload', () => {
    const { stack, mirror } = setup();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformTriggers, {
      identifier: 'api_forward',
      org_id: 'default',
      project_id: 'platform',
    });
    const doc = YAML.parse(mirror.forward.triggerYaml).trigger;
    expect(doc.identifier).toBe('api_forward');
    expect(doc.pipelineIdentifier).toBe('repo_mirror');
    expect(doc.enabled).toBe(true);
    expect(doc.source.type).toBe('Webhook');
    expect(doc.source.spec.type).toBe('Custom');
    expect(doc.inputSetRefs).toEqual(['api_forward']);
    const inputs = YAML.parse(doc.inputYaml).pipeline;
    expect(inputs.identifier).toBe('repo_mirror');
    expect(inputs.variables).toEqual([
      { name: 'reference', type: 'String', value: '<+trigger.payload.ref>' },
      { name: 'referenceShaOld', type: 'String', value: '<+trigger.payload.before>' },
      { name: 'syncDelete', type: 'String', value: 'false' },
      { name: 'mode', type: 'String', value: 'ref' },
    ]);
  });

  test.each([
    [GitProvider.HARNESS_CODE, HARNESS, GITHUB, '<+trigger.payload.ref.name>', '<+trigger.payload.old_sha>'],
    [GitProvider.GITHUB, GITHUB, HARNESS, '<+trigger.payload.ref>', '<+trigger.payload.before>'],
    [GitProvider.GITLAB, GITLAB, HARNESS, '<+trigger.payload.ref>', '<+trigger.payload.before>'],
  ])('given a %s source, then the trigger maps reference and referenceShaOld from its payload', (_p, source, target, reference, old) => {
    const { mirror } = setup({ source, target });
    const vars = YAML.parse(YAML.parse(mirror.forward.triggerYaml).trigger.inputYaml).pipeline.variables;
    expect(vars[0]).toEqual({ name: 'reference', type: 'String', value: reference });
    expect(vars[1]).toEqual({ name: 'referenceShaOld', type: 'String', value: old });
  });

  test('given syncDelete, then the trigger sets it to true', () => {
    const { mirror } = setup({ syncDelete: true });
    const vars = YAML.parse(YAML.parse(mirror.forward.triggerYaml).trigger.inputYaml).pipeline.variables;
    expect(vars.find((v: YamlVariable) => v.name === 'syncDelete').value).toBe('true');
  });

  test('given refs, then the input set passes them to the script and the trigger admits only matching refs', () => {
    const { mirror } = setup({ refs: ['refs/heads/main', 'refs/heads/release/*', 'refs/tags/v*'] });
    const inputSet = YAML.parse(mirror.forward.inputSetYaml).inputSet;
    expect(inputSet.pipeline.variables.find((v: YamlVariable) => v.name === 'refFilters').value).toBe('refs/heads/main refs/heads/release/* refs/tags/v*');
    const spec = YAML.parse(mirror.forward.triggerYaml).trigger.source.spec.spec;
    expect(spec.payloadConditions).toContainEqual({
      key: '<+trigger.payload.ref>',
      operator: 'Regex',
      value: '^(?:refs/heads/main|refs/heads/release/.*|refs/tags/v.*)$',
    });
  });

  test('given no refs, then the trigger still admits only branches and tags', () => {
    const { mirror } = setup();
    const spec = YAML.parse(mirror.forward.triggerYaml).trigger.source.spec.spec;
    expect(spec.payloadConditions).toContainEqual({ key: '<+trigger.payload.ref>', operator: 'Regex', value: '^(?:refs/heads/.*|refs/tags/.*)$' });
    expect(spec.headerConditions).toEqual([{ key: "<+trigger.header['x-github-event']>", operator: 'Equals', value: 'push' }]);
  });

  test('given a Bitbucket Cloud side, then its user name defaults to x-token-auth; an explicit username wins', () => {
    const bitbucket = { url: 'https://bitbucket.org/acme/api.git', provider: GitProvider.BITBUCKET_CLOUD, token: GITHUB.token };
    const { mirror } = setup({ source: bitbucket, target: { ...HARNESS, username: 'mirror-bot' } });
    const vars = YAML.parse(mirror.forward.inputSetYaml).inputSet.pipeline.variables;
    expect(vars.find((v: YamlVariable) => v.name === 'sourceUsername').value).toBe('x-token-auth');
    expect(vars.find((v: YamlVariable) => v.name === 'targetUsername').value).toBe('mirror-bot');
  });

  test('given enabled: false, then the trigger is declared but disabled', () => {
    const { mirror } = setup({ enabled: false });
    expect(YAML.parse(mirror.forward.triggerYaml).trigger.enabled).toBe(false);
  });

  test('the webhook URL output is the trigger\'s webhook_url as stored on creation, sensitive, saying which events to select', () => {
    const { stack } = setup();
    const synth = synthStack(stack);
    const [output] = Object.values(synth.output ?? {});
    const [triggerId] = Object.keys(synth.resource!.harness_platform_triggers);
    const [[storedId, stored]] = Object.entries(synth.resource!.terraform_data);
    expect(stored).toEqual({
      input: { webhook_url: `\${harness_platform_triggers.${triggerId}.webhook_url}` },
      triggers_replace: { trigger_id: `\${harness_platform_triggers.${triggerId}.id}` },
      lifecycle: { ignore_changes: ['input'] },
    });
    expect(output.value).toBe(`\${terraform_data.${storedId}.output["webhook_url"]}`);
    expect(output.sensitive).toBe(true);
    expect(output.description).toBe(
      'Webhook URL of trigger api_forward (pushes: branch and tag creations, updates and deletions) for https://github.com/acme/api.git. ' +
        'Register as a webhook of the GitHub source repository: content type application/json, events: Just the push event. ' +
        'Sensitive: anyone holding it can start the mirror.',
    );
  });

  test('the trigger names the pipeline by a reference and depends on the input set, so Terraform creates them first', () => {
    const { stack } = setup();
    const synth = synthStack(stack);
    const [trigger] = resourcesOfType(synth, 'harness_platform_triggers');
    const [pipelineId] = Object.keys(synth.resource!.harness_platform_pipeline);
    const [inputSetId] = Object.keys(synth.resource!.harness_platform_input_set);
    expect(trigger.target_id).toBe(`\${harness_platform_pipeline.${pipelineId}.identifier}`);
    expect(trigger.depends_on).toEqual([`harness_platform_input_set.${inputSetId}`]);
  });
});

describe('RepoMirror, two-way', () => {
  test('given twoWay, then two input sets and two triggers, the second with source and target swapped', () => {
    const { stack, mirror } = setup({ twoWay: true });
    const synth = synthStack(stack);
    expect(resourcesOfType(synth, 'harness_platform_input_set')).toHaveLength(2);
    expect(resourcesOfType(synth, 'harness_platform_triggers')).toHaveLength(2);
    expect(Object.keys(synth.output ?? {})).toHaveLength(2);

    expect(mirror.directions.map((d) => d.identifier)).toEqual(['api_forward', 'api_reverse']);
    const reverse = YAML.parse(mirror.reverse!.inputSetYaml).inputSet;
    expect(reverse.name).toBe('Api - Harness Code to GitHub');
    expect(reverse.pipeline.variables.slice(0, 4)).toEqual([
      { name: 'sourceToken', type: 'Secret', value: 'harness_code_token' },
      { name: 'sourceURL', type: 'String', value: 'https://git.harness.io/acct/default/platform/api.git' },
      { name: 'targetToken', type: 'Secret', value: 'account.github_token' },
      { name: 'targetURL', type: 'String', value: 'https://github.com/acme/api.git' },
    ]);
    expect(reverse.pipeline.variables.find((v: YamlVariable) => v.name === 'twoWay').value).toBe('true');
    // The reverse trigger sits on Harness Code, so it reads Harness Code's payload.
    const vars = YAML.parse(YAML.parse(mirror.reverse!.triggerYaml).trigger.inputYaml).pipeline.variables;
    expect(vars[0].value).toBe('<+trigger.payload.ref.name>');
    expect(vars[1].value).toBe('<+trigger.payload.old_sha>');
  });
});

describe('identifiers', () => {
  test.each([
    ['Api', 'api'],
    ['MyRepo', 'my_repo'],
    ['team-a.api', 'team_a_api'],
    ['HTTPServer', 'http_server'],
    ['2fa', '_2fa'],
  ])('construct id %s derives the base identifier %s', (id, expected) => {
    const { mirror } = setup({}, id);
    expect(mirror.identifier).toBe(expected);
    expect(mirror.forward.identifier).toBe(`${expected}_forward`);
  });

  test('given an explicit identifier, then it is used', () => {
    const { mirror } = setup({ identifier: 'payments' });
    expect(mirror.forward.identifier).toBe('payments_forward');
  });

  test('given two pairs deriving the same identifier on one pipeline, then the second throws naming both', () => {
    const { stack, pipeline } = setup({}, 'MyRepo');
    expect(() => new RepoMirror(stack, 'my-repo', { pipeline, source: GITLAB, target: HARNESS })).toThrow(
      /identifier "my_repo_forward" of test\/my-repo\/Forward is already used by test\/MyRepo\/Forward on pipeline "repo_mirror"/,
    );
  });
});

describe('validation', () => {
  const cases: Array<[string, Partial<RepoMirrorProps>, RegExp]> = [
    ['http URL', { source: { ...GITHUB, url: 'http://github.com/acme/api.git' } }, /source.url must use https.*"http:\/\/github.com\/acme\/api.git"/],
    ['ssh URL', { target: { ...HARNESS, url: 'git@github.com:acme/api.git' } }, /target.url must be an https clone URL, got "<redacted>@github.com:acme\/api.git"/],
    ['credentials in URL', { source: { ...GITHUB, url: 'https://x-access-token:ghp_secret@github.com/acme/api.git' } }, /source.url must not carry credentials/],
    ['token in query', { source: { ...GITHUB, url: 'https://gitlab.com/acme/api.git?private_token=abc' } }, /source.url must not have a query string/],
    ['same repo both sides', { target: { ...HARNESS, url: 'https://GitHub.com/acme/api/' } }, /source.url and target.url name the same repository/],
    ['missing token', { target: { url: HARNESS.url, provider: GitProvider.HARNESS_CODE } as unknown as RepoEndpoint }, /target.token is required.*"https:\/\/git.harness.io\/acct\/default\/platform\/api.git", got nothing/],
    ['token given as a string', { source: { ...GITHUB, token: 'ghp_plaintext' as unknown as SecretRef } }, /source.token is required: a SecretRef/],
    ['a user name with a colon', { source: { ...GITHUB, username: 'git:pw' } }, /source.username must be 1 to 128 letters.*"git:pw"/],
    ['unknown provider', { source: { ...GITHUB, provider: 'SVN' as unknown as GitProvider } }, /source.provider must be a GitProvider, got "SVN"/],
    ['invalid identifier', { identifier: 'api-repo' }, /identifier must be a Harness identifier.*"api-repo"/],
    ['invalid name', { name: 'api: prod' }, /name must be a Harness name.*"api: prod"/],
    ['a ref pattern that is not a full ref name', { refs: ['refs/heads/main', 'main'] }, /refs\[1\]: "main" is not a valid ref pattern/],
    ['shell syntax in a ref pattern', { refs: ['refs/heads/$(id)'] }, /refs\[0\]: "refs\/heads\/\$\(id\)" is not a valid ref pattern/],
    ['an empty refs list', { refs: [] }, /refs: must list at least one ref pattern/],
  ];
  test.each(cases)('given %s, then construction throws naming the prop and value', (_name, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  test('given a plaintext token by mistake, then the error does not echo it', () => {
    expect(() => setup({ source: { ...GITHUB, token: 'ghp_plaintext' as unknown as SecretRef } })).toThrow(
      /source.token is required.*got a value of 13 characters that looks like a GitHub token \(not shown: it may be a credential\)$/,
    );
    expect(() => setup({ source: { ...GITHUB, token: 'ghp_plaintext' as unknown as SecretRef } })).not.toThrow(/ghp_plaintext/);
  });

  test('SecretRef.fromIdentifier rejects anything but a scoped Harness identifier', () => {
    expect(SecretRef.fromIdentifier('org.my_token').reference).toBe('org.my_token');
    // Never echoed, valid-looking or not: see test/private/credentials.test.ts.
    expect(() => SecretRef.fromIdentifier('project.my_token')).toThrow(/SecretRef.fromIdentifier must be a Harness secret reference.*got a value of 16 characters/);
    expect(() => SecretRef.fromIdentifier('ghp_abc-123')).toThrow(/got a value of 11 characters that looks like a GitHub token/);
    expect(() => SecretRef.fromIdentifier('ghp_abc-123')).not.toThrow(/abc-123/);
  });
});

describe('sources whose provider sends several kinds of delivery', () => {
  const BITBUCKET = { url: 'https://bitbucket.org/acme/api.git', provider: GitProvider.BITBUCKET_CLOUD, token: SecretRef.fromIdentifier('account.bb') };
  const GITEA = { url: 'https://codeberg.org/acme/api.git', provider: GitProvider.GITEA, token: SecretRef.fromIdentifier('account.gitea') };

  test('given a Bitbucket Cloud source, then four triggers (branch and tag, pushed and deleted), each with its own stored URL and output', () => {
    const { stack, mirror } = setup({ source: BITBUCKET });
    const synth = synthStack(stack);
    expect(mirror.forward.webhookTriggers.map((t) => [t.identifier, t.admits])).toEqual([
      ['api_forward', 'branch creations and updates'],
      ['api_forward_tag', 'tag creations and updates'],
      ['api_forward_delete', 'branch deletions'],
      ['api_forward_tag_delete', 'tag deletions'],
    ]);
    expect(mirror.forward.trigger).toBe(mirror.forward.webhookTriggers[0].trigger);
    expect(Object.keys(synth.resource!.harness_platform_triggers)).toHaveLength(4);
    expect(Object.keys(synth.resource!.terraform_data)).toHaveLength(4);
    expect(Object.keys(synth.output!).sort()).toEqual([
      'api_forward_delete_webhook_url',
      'api_forward_tag_delete_webhook_url',
      'api_forward_tag_webhook_url',
      'api_forward_webhook_url',
    ]);
    for (const t of mirror.forward.webhookTriggers) {
      const doc = YAML.parse(t.yaml).trigger;
      expect(doc.identifier).toBe(t.identifier);
      expect(doc.inputSetRefs).toEqual(['api_forward']);
    }
  });

  test('given the main trigger of a provider with several kinds, then its construct path and logical id are those of a single trigger', () => {
    const { stack, mirror } = setup({ source: GITEA });
    expect(mirror.forward.webhookTriggers.map((t) => t.trigger.node.path)).toEqual(['test/Api/Forward/Trigger', 'test/Api/Forward/DeleteTrigger']);
    expect(stack.getLogicalId(mirror.forward.trigger)).toMatch(/^Api_Forward_Trigger_[0-9A-F]{8}$/);
  });

  test('given syncDelete off, then the deletion triggers are declared all the same, so the webhooks to register do not change', () => {
    const on = setup({ source: BITBUCKET, syncDelete: true }).mirror.forward.webhookTriggers.map((t) => t.identifier);
    const off = setup({ source: BITBUCKET, syncDelete: false }).mirror.forward.webhookTriggers.map((t) => t.identifier);
    expect(off).toEqual(on);
  });

  test('given a two-way Gitea <-> GitHub pair, then only the Gitea side has a second trigger', () => {
    const { mirror } = setup({ source: GITEA, twoWay: true });
    expect(mirror.directions.flatMap((d) => d.webhookTriggers.map((t) => t.identifier))).toEqual(['api_forward', 'api_forward_delete', 'api_reverse']);
  });

  test('given the longest suffix, then an explicit identifier may have 109 characters', () => {
    expect(() => setup({ source: BITBUCKET, identifier: 'a'.repeat(109) })).not.toThrow();
    expect(() => setup({ source: BITBUCKET, identifier: 'a'.repeat(110) })).toThrow(/identifier may have at most 109 characters/);
  });
});

describe('webhook URL output names', () => {
  test('given a two-way pair, then each output is named after its trigger identifier', () => {
    const { stack } = setup({ twoWay: true });
    expect(Object.keys(synthStack(stack).output!).sort()).toEqual(['api_forward_webhook_url', 'api_reverse_webhook_url']);
  });

  test('given two pipelines in one stack with a pair of the same identifier, then the second throws naming both', () => {
    const { stack } = setup();
    const other = new MirrorPipeline(stack, 'Other', { orgId: 'default', projectId: 'platform', identifier: 'other_mirror' });
    expect(() => new RepoMirror(stack, 'Api2', { pipeline: other, source: GITHUB, target: HARNESS, identifier: 'api' })).toThrow(
      'test/Api2/Forward: output name "api_forward_webhook_url" is already used by test/Api/Forward in stack test; pairs of different pipelines in one stack need different identifiers: set `identifier` on one of them',
    );
  });

  test('given the same pairs in two stacks, then each stack has its own output names', () => {
    const app = Testing.app();
    for (const id of ['one', 'two']) {
      const stack = new TerraformStack(app, id);
      const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
      expect(() => new RepoMirror(stack, 'Api', { pipeline, source: GITHUB, target: HARNESS })).not.toThrow();
    }
  });
});

describe('errors name the construct path and the prop', () => {
  test.each([
    ['RepoMirror', () => setup({ source: { ...GITHUB, url: 'http://github.com/acme/api.git' } }), /^test\/Api: source\.url must use https/],
    ['RepoMirror, a ref pattern', () => setup({ refs: ['main'] }), /^test\/Api: refs\[0\]: "main" is not a valid ref pattern/],
    ['MirrorPipeline', () => new MirrorPipeline(newStack(), 'Mirror', { orgId: 'my-org', projectId: 'platform' }), /^test\/Mirror: orgId must be a Harness identifier/],
    ['TokenSecret', () => new TokenSecret(newStack(), 'GithubToken', { projectId: 'platform' }), /^test\/GithubToken: projectId "platform" needs orgId/],
    [
      'HarnessCodeMirrorAccount',
      () => new HarnessCodeMirrorAccount(newStack(), 'CodeMirror', { accountId: 'acct', orgId: 'default', projectId: 'platform', tokenLifetimeDays: 0 }),
      /^test\/CodeMirror: tokenLifetimeDays must be a whole number of days, at least 1, got 0$/,
    ],
  ] as const)('given a bad prop of a %s, the error starts with its path', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});
