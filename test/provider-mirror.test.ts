/**
 * "Deploying without the Terraform registry", as far as it can be tried offline: a
 * filesystem mirror in the layout `terraform providers mirror` writes (a stand-in for the
 * provider binary, which cannot be downloaded here), the README's CLI configuration pointed
 * at it, and `terraform init` of a synthesized stack, which must install harness/harness
 * 0.45.1 from the mirror and nothing from the network.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../examples/two-way/main';
import { readmeBlocks } from './helpers/readme';
import { synthExample } from './helpers/synth';

const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';
/** Where the README's CLI configuration expects the mirror. */
const DOCUMENTED_PATH = '/opt/terraform-providers';

describe('README: deploying from a provider mirror', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-mirror-'));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `terraform init` of the two-way example with the README's CLI configuration pointed at `mirror`. */
  function init(mirror: string): { ok: boolean; output: string; lock?: string } {
    const stackDir = fs.mkdtempSync(path.join(dir, 'stack-'));
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(synthExample(buildApp, 'two-way-mirror')));
    const config = readmeBlocks()['mirror.tfrc'];
    expect(config).toContain(DOCUMENTED_PATH);
    const configFile = path.join(stackDir, 'mirror.tfrc');
    fs.writeFileSync(configFile, config.replace(DOCUMENTED_PATH, mirror));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: configFile, TF_DATA_DIR: path.join(stackDir, '.terraform'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    try {
      const output = execFileSync(TERRAFORM, ['init', '-backend=false', '-no-color', '-input=false'], { cwd: stackDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { ok: true, output, lock: fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8') };
    } catch (e) {
      const err = e as { stdout: string; stderr: string };
      return { ok: false, output: `${err.stdout}${err.stderr}` };
    }
  }

  test('given the provider in the packed mirror layout, terraform init installs harness/harness 0.45.1 from it', () => {
    const platform = JSON.parse(execFileSync(TERRAFORM, ['version', '-json'], { encoding: 'utf8' })).platform as string;
    const mirror = path.join(dir, 'mirror');
    const packageDir = path.join(mirror, 'registry.terraform.io', 'harness', 'harness');
    fs.mkdirSync(packageDir, { recursive: true });
    // The zip `terraform providers mirror` writes: the provider executable at its root.
    const zip = path.join(packageDir, `terraform-provider-harness_0.45.1_${platform}.zip`);
    execFileSync('python3', [
      '-c',
      [
        'import sys, zipfile',
        "z = zipfile.ZipFile(sys.argv[1], 'w')",
        "i = zipfile.ZipInfo('terraform-provider-harness_v0.45.1')",
        'i.external_attr = 0o755 << 16',
        "z.writestr(i, '#!/bin/sh\\nexit 1\\n')",
        'z.close()',
      ].join('\n'),
      zip,
    ]);

    const result = init(mirror);
    expect(result.output).toContain('Terraform has been successfully initialized');
    expect(result.lock).toMatch(/provider "registry\.terraform\.io\/harness\/harness" \{\n\s+version\s+= "0\.45\.1"/);
  });

  test('given an empty mirror, terraform init fails instead of reaching for the registry', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const result = init(empty);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Failed to query available provider packages|Could not retrieve the list of available versions/);
    expect(result.output).not.toMatch(/registry\.terraform\.io\/\.well-known/);
  });
});
