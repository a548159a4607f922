import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as YAML from 'yaml';
import { GitProvider, HarnessCodeMirrorAccount, HarnessCodeMirrorAccountProps, MirrorPipeline, RepoMirror } from '../../src';
import { PlatformApikey } from '../../src/gen/providers/harness/platform-apikey';
import { PlatformResourceGroup } from '../../src/gen/providers/harness/platform-resource-group';
import { PlatformRoleAssignments } from '../../src/gen/providers/harness/platform-role-assignments';
import { PlatformRoles } from '../../src/gen/providers/harness/platform-roles';
import { PlatformSecretText } from '../../src/gen/providers/harness/platform-secret-text';
import { PlatformServiceAccount } from '../../src/gen/providers/harness/platform-service-account';
import { PlatformToken } from '../../src/gen/providers/harness/platform-token';
import { newStack, SynthesizedStack, synthStack } from '../helpers/synth';
import { terraformWorkspace } from '../helpers/terraform';

const PROJECT = { accountId: 'Ab1-cD_2eF', orgId: 'default', projectId: 'platform' };

/** The one resource of `type` and its logical id. */
function only(synth: SynthesizedStack, type: string): { id: string; resource: Record<string, unknown> } {
  const byId = synth.resource?.[type] ?? {};
  const ids = Object.keys(byId);
  expect(ids).toHaveLength(1);
  return { id: ids[0], resource: byId[ids[0]] };
}

/** Every string anywhere in a JSON value. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(allStrings);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).flatMap(allStrings);
  }
  return [];
}

function account(props: Partial<HarnessCodeMirrorAccountProps> = {}, id: string = 'CodeMirror'): HarnessCodeMirrorAccount {
  return new HarnessCodeMirrorAccount(newStack(), id, { ...PROJECT, ...props });
}

describe('HarnessCodeMirrorAccount', () => {
  describe('given only account, organization and project', () => {
    let stack: TerraformStack;
    let construct: HarnessCodeMirrorAccount;
    let json: string;

    beforeAll(() => {
      stack = newStack();
      construct = new HarnessCodeMirrorAccount(stack, 'CodeMirror', PROJECT);
      json = Testing.synth(stack);
    });

    test('then a project service account is declared, identifier derived from the construct id, Harness-style email', () => {
      expect(construct.identifier).toBe('code_mirror');
      expect(json).toHaveResourceWithProperties(PlatformServiceAccount, {
        identifier: 'code_mirror',
        name: 'CodeMirror',
        email: 'code_mirror@service.harness.io',
        account_id: 'Ab1-cD_2eF',
        org_id: 'default',
        project_id: 'platform',
      });
    });

    test('then the role grants exactly repository view and push, at project level', () => {
      expect(json).toHaveResourceWithProperties(PlatformRoles, {
        identifier: 'code_mirror_role',
        name: 'CodeMirror repository view and push',
        org_id: 'default',
        project_id: 'platform',
        permissions: ['code_repo_view', 'code_repo_push'],
        allowed_scope_levels: ['project'],
      });
    });

    test('then the resource group holds every Harness Code repository of the project, and nothing else', () => {
      const { resource } = only(synthStack(stack), 'harness_platform_resource_group');
      expect(resource.resource_filter).toEqual([{ include_all_resources: false, resources: [{ resource_type: 'CODE_REPOSITORY' }] }]);
      expect(resource.included_scopes).toEqual([
        { filter: 'EXCLUDING_CHILD_SCOPES', account_id: 'Ab1-cD_2eF', org_id: 'default', project_id: 'platform' },
      ]);
      expect(json).toHaveResourceWithProperties(PlatformResourceGroup, {
        identifier: 'code_mirror_repos',
        name: 'CodeMirror mirrored repositories',
        description: 'Every Harness Code repository of the project.',
        account_id: 'Ab1-cD_2eF',
        org_id: 'default',
        project_id: 'platform',
        allowed_scope_levels: ['project'],
      });
    });

    test('then the API key belongs to the service account and gives tokens 30 days', () => {
      expect(json).toHaveResourceWithProperties(PlatformApikey, {
        identifier: 'code_mirror_key',
        apikey_type: 'SERVICE_ACCOUNT',
        default_time_to_expire_token: 30 * 24 * 60 * 60 * 1000,
        account_id: 'Ab1-cD_2eF',
        org_id: 'default',
        project_id: 'platform',
      });
    });

    test('then the token has no rotation label and no fixed end of validity', () => {
      const { resource } = only(synthStack(stack), 'harness_platform_token');
      expect(resource.identifier).toBe('code_mirror_token');
      expect(resource.apikey_type).toBe('SERVICE_ACCOUNT');
      expect(resource.valid_to).toBeUndefined();
      expect(resource.valid_from).toBeUndefined();
      expect(only(synthStack(stack), 'terraform_data').resource).toEqual({ input: { rotation: '' } });
    });

    test('then the token is stored in an Inline project secret, referenced bare', () => {
      expect(json).toHaveResourceWithProperties(PlatformSecretText, {
        identifier: 'code_mirror_token',
        name: 'CodeMirror token',
        org_id: 'default',
        project_id: 'platform',
        secret_manager_identifier: 'harnessSecretManager',
        value_type: 'Inline',
      });
      expect(construct.secretRef.reference).toBe('code_mirror_token');
    });
  });

  test('given repositories, then the resource group lists exactly those repositories', () => {
    const stack = newStack();
    new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, repositories: ['api', 'web-site', 'docs.v2'] });
    const { resource } = only(synthStack(stack), 'harness_platform_resource_group');
    expect(resource.resource_filter).toEqual([
      { include_all_resources: false, resources: [{ resource_type: 'CODE_REPOSITORY', identifiers: ['api', 'web-site', 'docs.v2'] }] },
    ]);
    expect(resource.description).toBe('The mirrored Harness Code repositories: api, web-site, docs.v2.');
  });

  test('given every optional prop, then each reaches its resource', () => {
    const stack = newStack();
    const construct = new HarnessCodeMirrorAccount(stack, 'CodeMirror', {
      ...PROJECT,
      identifier: 'git_mirror',
      name: 'Git mirror',
      email: 'mirror-bot@example.com',
      tokenLifetimeDays: 90,
      tokenRotation: '2025_07',
      secretIdentifier: 'harness_code_token',
      secretManagerIdentifier: 'vault_main',
    });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(PlatformServiceAccount, { identifier: 'git_mirror', name: 'Git mirror', email: 'mirror-bot@example.com' });
    expect(json).toHaveResourceWithProperties(PlatformRoles, { identifier: 'git_mirror_role', name: 'Git mirror repository view and push' });
    expect(json).toHaveResourceWithProperties(PlatformResourceGroup, { identifier: 'git_mirror_repos', name: 'Git mirror mirrored repositories' });
    expect(json).toHaveResourceWithProperties(PlatformRoleAssignments, { identifier: 'git_mirror_assignment' });
    expect(json).toHaveResourceWithProperties(PlatformApikey, { identifier: 'git_mirror_key', name: 'Git mirror key', default_time_to_expire_token: 7776000000 });
    expect(json).toHaveResourceWithProperties(PlatformToken, { identifier: 'git_mirror_token_2025_07', name: 'Git mirror token 2025_07' });
    expect(json).toHaveResourceWithProperties(PlatformSecretText, {
      identifier: 'harness_code_token',
      name: 'Git mirror token',
      secret_manager_identifier: 'vault_main',
    });
    expect(construct.identifier).toBe('git_mirror');
    expect(construct.secretRef.reference).toBe('harness_code_token');
  });

  test('given the resources, then each refers to the one it needs, so Terraform orders them', () => {
    const stack = newStack();
    new HarnessCodeMirrorAccount(stack, 'CodeMirror', PROJECT);
    const synth = synthStack(stack);
    const sa = only(synth, 'harness_platform_service_account').id;
    const role = only(synth, 'harness_platform_roles').id;
    const group = only(synth, 'harness_platform_resource_group').id;
    const assignment = only(synth, 'harness_platform_role_assignments');
    const key = only(synth, 'harness_platform_apikey');
    const token = only(synth, 'harness_platform_token');
    const secret = only(synth, 'harness_platform_secret_text').resource;

    expect(assignment.resource).toEqual({
      identifier: 'code_mirror_assignment',
      org_id: 'default',
      project_id: 'platform',
      role_identifier: `\${harness_platform_roles.${role}.identifier}`,
      resource_group_identifier: `\${harness_platform_resource_group.${group}.identifier}`,
      principal: [{ identifier: `\${harness_platform_service_account.${sa}.identifier}`, type: 'SERVICE_ACCOUNT' }],
    });
    expect(key.resource.parent_id).toBe(`\${harness_platform_service_account.${sa}.identifier}`);
    expect(token.resource.parent_id).toBe(`\${harness_platform_service_account.${sa}.identifier}`);
    expect(token.resource.apikey_id).toBe(`\${harness_platform_apikey.${key.id}.identifier}`);
    expect(secret.value).toBe(`\${harness_platform_token.${token.id}.value}`);
    expect(secret.depends_on).toEqual([`harness_platform_role_assignments.${assignment.id}`]);
  });

  test('given the token, then nothing secret is synthesized: its value appears only as a reference, in the secret', () => {
    const stack = newStack();
    new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, repositories: ['api'] });
    const synth = synthStack(stack);
    const token = only(synth, 'harness_platform_token').id;
    const mentions = allStrings(synth).filter((s) => s.includes('.value'));
    expect(mentions).toEqual([`\${harness_platform_token.${token}.value}`]);
    expect(synth.output).toBeUndefined();
    expect(synth.variable).toBeUndefined();
    expect(only(synth, 'harness_platform_token').resource.encoded_password).toBeUndefined();
  });

  describe('token rotation', () => {
    test('given a rotation label, then the label names the token and a change of it replaces the token, new one first', () => {
      const stack = newStack();
      new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, tokenRotation: '2025_07' });
      const synth = synthStack(stack);
      const rotation = only(synth, 'terraform_data');
      expect(rotation.resource).toEqual({ input: { rotation: '2025_07' } });
      const token = only(synth, 'harness_platform_token').resource;
      expect(token.identifier).toBe('code_mirror_token_2025_07');
      expect(token.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [`terraform_data.${rotation.id}`] });
    });

    test('given an overridden logical id of the rotation resource, then the trigger follows it', () => {
      const stack = newStack();
      const construct = new HarnessCodeMirrorAccount(stack, 'CodeMirror', PROJECT);
      construct.tokenRotation.overrideLogicalId('mirror_token_rotation');
      const token = only(synthStack(stack), 'harness_platform_token').resource;
      expect(token.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: ['terraform_data.mirror_token_rotation'] });
    });

    test('given a new label, then terraform plans to create the new token before deleting the old one, and no change for the same label', () => {
      // The Harness provider is not available offline: a terraform_data stands in for the token,
      // with the lifecycle and the rotation resource exactly as synthesized.
      let tokenId = '';
      const config = (label: string): unknown => {
        const stack = newStack();
        new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, tokenRotation: label });
        const synth = synthStack(stack);
        const token = only(synth, 'harness_platform_token');
        tokenId = token.id;
        return {
          resource: {
            terraform_data: {
              ...synth.resource!.terraform_data,
              [token.id]: { input: token.resource.identifier, lifecycle: token.resource.lifecycle },
            },
          },
        };
      };
      const plans = planSequence([config('2025_06'), config('2025_06'), config('2025_07')]);
      const tokenChange = (plan: PlanJson): string[] | undefined =>
        plan.resource_changes.find((c) => c.address === `terraform_data.${tokenId}`)?.change.actions;
      expect(tokenChange(plans[0])).toEqual(['no-op']);
      expect(tokenChange(plans[1])).toEqual(['create', 'delete']);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<HarnessCodeMirrorAccountProps>, RegExp]>([
      ['accountId with a space', { accountId: 'my account' }, /accountId must be a Harness account id .*got "my account"/],
      ['orgId with a dash', { orgId: 'my-org' }, /orgId must be a Harness identifier .*got "my-org"/],
      ['projectId starting with a digit', { projectId: '1project' }, /projectId must be a Harness identifier .*got "1project"/],
      ['identifier with a dash', { identifier: 'code-mirror' }, /identifier must be a Harness identifier .*got "code-mirror"/],
      ['identifier of 118 characters', { identifier: 'a'.repeat(118) }, /identifier may have at most 117 characters .*'_assignment'/],
      ['name with a slash', { name: 'mirror/bot' }, /name must be a Harness name .*got "mirror\/bot"/],
      ['email without a domain', { email: 'mirror-bot' }, /email must be an email address, got "mirror-bot"/],
      ['an empty repositories list', { repositories: [] }, /repositories must name at least one repository; omit it to cover every repository/],
      ['a repository path', { repositories: ['default/platform/api'] }, /repositories: each entry .*not a path or URL\), got "default\/platform\/api"/],
      ['a repository URL', { repositories: ['https://git.harness.io/acme/api.git'] }, /repositories: each entry .*got "https:\/\/git.harness.io\/acme\/api.git"/],
      ['a repository listed twice', { repositories: ['api', 'web', 'api'] }, /repositories: "api" is listed twice/],
      ['zero token lifetime', { tokenLifetimeDays: 0 }, /tokenLifetimeDays must be a whole number of days, at least 1, got 0/],
      ['a fractional token lifetime', { tokenLifetimeDays: 1.5 }, /tokenLifetimeDays must be a whole number of days, at least 1, got 1.5/],
      ['a rotation label with a dash', { tokenRotation: '2025-07' }, /tokenRotation must be letters, digits or '_' .*got "2025-07"/],
      ['a rotation label too long', { identifier: 'a'.repeat(100), tokenRotation: 'x'.repeat(22) }, /tokenRotation "x{22}" makes the token identifier 129 characters, more than 128/],
      ['secretIdentifier with a dot', { secretIdentifier: 'org.token' }, /secretIdentifier must be a Harness identifier .*got "org.token"/],
      ['secretManagerIdentifier with a dash', { secretManagerIdentifier: 'my-vault' }, /secretManagerIdentifier must be a Harness identifier .*got "my-vault"/],
    ])('given %s, then construction throws naming the prop and the value', (_label, props, message) => {
      expect(() => account(props)).toThrow(message);
    });

    test('given a construct id without letters or digits, then the identifier must be set explicitly', () => {
      expect(() => account({}, '--')).toThrow(/identifier: cannot derive a Harness identifier from construct id "--"; set identifier explicitly/);
      expect(account({ identifier: 'mirror' }, '--').identifier).toBe('mirror');
    });

    test('given the longest identifier and a label that fits, then construction succeeds', () => {
      const construct = account({ identifier: 'a'.repeat(117), tokenRotation: 'x'.repeat(4) });
      expect(construct.identifier).toHaveLength(117);
    });

    test('given unresolved values (Terraform variables), then they are accepted as they are', () => {
      const stack = newStack();
      const accountId = new TerraformVariable(stack, 'harness_account_id', { type: 'string' });
      const repo = new TerraformVariable(stack, 'repo', { type: 'string' });
      new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, accountId: accountId.stringValue, repositories: [repo.stringValue] });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformServiceAccount, { account_id: '${var.harness_account_id}' });
    });
  });

  test('the docs name every permission and the resource type the construct uses', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'harness-code-account.md'), 'utf8');
    for (const id of [...HarnessCodeMirrorAccount.PERMISSIONS, HarnessCodeMirrorAccount.RESOURCE_TYPE]) {
      expect(doc).toContain(`\`${id}\``);
    }
  });
});

describe('HarnessCodeMirrorAccount with RepoMirror', () => {
  test('given the account secret as the Harness Code target token, then the pair synthesizes and the input set refers to the secret', () => {
    const stack = newStack();
    const codeAccount = new HarnessCodeMirrorAccount(stack, 'CodeMirror', { ...PROJECT, repositories: ['api'] });
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const mirror = new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token: codeAccount.secretRef },
      target: { url: 'https://git.harness.io/Ab1-cD_2eF/default/platform/api.git', provider: GitProvider.HARNESS_CODE, token: codeAccount.secretRef },
    });
    const synth = synthStack(stack);
    const variables = YAML.parse(mirror.forward.inputSetYaml).inputSet.pipeline.variables as Array<{ name: string; value: string }>;
    expect(variables.find((v) => v.name === 'targetToken')).toEqual({ name: 'targetToken', type: 'Secret', value: 'code_mirror_token' });
    expect(Object.keys(synth.resource!.harness_platform_input_set)).toHaveLength(1);
  });
});

interface PlanJson {
  resource_changes: Array<{ address: string; change: { actions: string[] } }>;
}

/**
 * Applies the first configuration with the real `terraform` binary (built-in resources only,
 * so offline), then plans each following one against that state; returns those plans.
 */
function planSequence(configs: unknown[]): PlanJson[] {
  const ws = terraformWorkspace(configs[0]);
  try {
    ws.apply();
    return configs.slice(1).map((config) => {
      ws.write(config);
      return ws.plan() as PlanJson;
    });
  } finally {
    ws.dispose();
  }
}
