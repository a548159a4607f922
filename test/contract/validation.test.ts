/**
 * The constructs decide the shared validation cases (test/contract/vectors.ts) as the
 * mirror script does; test/scripts/mirror-helpers.test.ts runs the same cases through the
 * script's own validators.
 */
import { validateCloneUrl } from '../../src/private/urls';
import { refPatternProblem } from '../../src/private/ref-glob';
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { newStack } from '../helpers/synth';
import { CLONE_URL_VECTORS, REF_PATTERN_VECTORS, USERNAME_VECTORS } from './vectors';

const accepts = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

describe('the constructs decide the shared validation cases', () => {
  test.each(REF_PATTERN_VECTORS)('ref pattern %j is valid: %s', (pattern, valid) => {
    expect(refPatternProblem(pattern) === undefined).toBe(valid);
  });

  test.each(CLONE_URL_VECTORS)('clone URL %j is valid: %s', (url, valid) => {
    expect(accepts(() => validateCloneUrl('source.url', url))).toBe(valid);
  });

  test.each(USERNAME_VECTORS)('user name %j is valid: %s', (username, valid) => {
    const token = SecretRef.fromIdentifier('account.token');
    const build = () => {
      const stack = newStack();
      const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
      new RepoMirror(stack, 'Api', {
        pipeline,
        source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token, username },
        target: { url: 'https://gitlab.com/acme/api.git', provider: GitProvider.GITLAB, token },
      });
    };
    expect(accepts(build)).toBe(valid);
  });
});
