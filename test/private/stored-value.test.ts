/**
 * StoredValue declares `terraform_data` exactly as cdktf's DataResource does, and checks the
 * Terraform version once per stack instead of once per resource.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataResource, TerraformOutput, Testing } from 'cdktf';
import { StoredValue } from '../../src/private/stored-value';
import { newStack } from '../helpers/synth';

/** A stand-in `terraform` that prints `version` and counts its runs in `<dir>/runs`. */
function fakeTerraform(version: string): { binary: string; runs: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-terraform-'));
  const binary = path.join(dir, 'terraform');
  fs.writeFileSync(binary, `#!/bin/sh\necho run >>"${dir}/runs"\necho "Terraform v${version}"\necho "on linux_amd64"\n`, { mode: 0o755 });
  return { binary, runs: () => (fs.existsSync(path.join(dir, 'runs')) ? fs.readFileSync(path.join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length : 0) };
}

/** Runs `body` with TERRAFORM_BINARY_NAME set to `binary`. */
function withTerraform<T>(binary: string, body: () => T): T {
  const saved = process.env.TERRAFORM_BINARY_NAME;
  process.env.TERRAFORM_BINARY_NAME = binary;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.TERRAFORM_BINARY_NAME;
    else process.env.TERRAFORM_BINARY_NAME = saved;
  }
}

describe('StoredValue', () => {
  test('given the same configuration, it synthesizes what DataResource does', () => {
    const config = {
      input: { webhook_url: 'https://example.com/hook' },
      triggersReplace: { trigger_id: 'abc' },
      lifecycle: { ignoreChanges: ['input'] },
    };
    const ours = newStack('ours');
    const stored = new StoredValue(ours, 'Stored', config);
    const theirs = newStack('theirs');
    const data = new DataResource(theirs, 'Stored', config);
    new TerraformOutput(ours, 'url', { value: stored.output.lookup('webhook_url') });
    new TerraformOutput(theirs, 'url', { value: data.output.lookup('webhook_url') });
    const [a, b] = [JSON.parse(Testing.synth(ours)), JSON.parse(Testing.synth(theirs))];
    expect({ resource: a.resource, output: a.output }).toEqual({ resource: b.resource, output: b.output });
    expect(a.resource.terraform_data).toBeDefined();
  });

  test('given many stored values in two stacks, terraform version runs once', () => {
    const fake = fakeTerraform('1.11.0');
    withTerraform(fake.binary, () => {
      for (const name of ['one', 'two']) {
        const stack = newStack(name);
        for (let i = 0; i < 20; i++) {
          new StoredValue(stack, `Stored${i}`, { input: { i } });
        }
        expect(() => Testing.synth(stack, true)).not.toThrow();
      }
    });
    expect(fake.runs()).toBe(1);
  });

  test('given Terraform older than 1.4, synthesis fails as it does for DataResource', () => {
    const fake = fakeTerraform('1.3.9');
    withTerraform(fake.binary, () => {
      const stack = newStack('old');
      new StoredValue(stack, 'Stored', { input: { a: 1 } });
      expect(() => Testing.synth(stack, true)).toThrow('version 1.3.9 is lower than the required version >=1.4');
    });
  });

  test('given no terraform binary, synthesis fails saying so', () => {
    withTerraform(path.join(os.tmpdir(), 'no-such-terraform-binary'), () => {
      const stack = newStack('none');
      new StoredValue(stack, 'Stored', { input: { a: 1 } });
      expect(() => Testing.synth(stack, true)).toThrow('Could not determine version of');
    });
  });
});
