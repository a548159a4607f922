import { Testing } from 'cdktf';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, TokenSecret } from '../../src';
import { PlatformSecretText } from '../../src/gen/providers/harness/platform-secret-text';
import { newStack, synthStack } from '../helpers/synth';

describe('TokenSecret', () => {
  test('given an account-level secret, then a sensitive variable feeds an Inline secret_text, referenced as account.<id>', () => {
    const stack = newStack();
    const secret = new TokenSecret(stack, 'GithubToken');
    const synth = synthStack(stack);

    expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformSecretText, {
      identifier: 'github_token',
      name: 'GithubToken',
      secret_manager_identifier: 'harnessSecretManager',
      value_type: 'Inline',
      value: '${var.github_token}',
    });
    expect(synth.variable?.github_token).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: "Token stored in the Harness secret 'github_token'.",
    });
    expect(secret.secretRef.reference).toBe('account.github_token');
  });

  test.each([
    [{ orgId: 'default' }, 'org.gitlab'],
    [{ orgId: 'default', projectId: 'platform' }, 'gitlab'],
  ])('given scope %j, then the reference is %s', (scope, reference) => {
    const secret = new TokenSecret(newStack(), 'Gitlab', scope);
    expect(secret.secretRef.reference).toBe(reference);
  });

  test('used by a pair, only the secret reference and var.<name> appear in the output, never a value', () => {
    const stack = newStack();
    const token = new TokenSecret(stack, 'MirrorToken', { orgId: 'default', projectId: 'platform', variableName: 'mirror_token' });
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const mirror = new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token: token.secretRef },
      target: { url: 'https://gitlab.com/acme/api.git', provider: GitProvider.GITLAB, token: token.secretRef },
    });
    const synth = synthStack(stack);
    const vars = YAML.parse(mirror.forward.inputSetYaml).inputSet.pipeline.variables;
    expect(vars[0]).toEqual({ name: 'sourceToken', type: 'Secret', value: 'mirror_token' });
    const [secretResource] = Object.values(synth.resource!.harness_platform_secret_text);
    expect(secretResource.value).toBe('${var.mirror_token}');
    expect(Object.keys(synth.variable ?? {})).toEqual(['mirror_token']);
    expect(synth.variable!.mirror_token.default).toBeUndefined();
  });

  test('validation: projectId without orgId, bad identifier, bad variable name', () => {
    expect(() => new TokenSecret(newStack(), 'T', { projectId: 'platform' })).toThrow(/projectId "platform" needs orgId/);
    expect(() => new TokenSecret(newStack(), 'T', { identifier: 'my-token' })).toThrow(/identifier must be a Harness identifier.*"my-token"/);
    expect(() => new TokenSecret(newStack(), 'T', { variableName: 'my token' })).toThrow(/variableName must be a Terraform variable name, got "my token"/);
  });
});
