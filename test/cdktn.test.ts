/**
 * The CDK Terrain flavour, `cdktn-harness-mirror` (built by scripts/cdktn.js into
 * dist/cdktn-harness-mirror): the examples, as a cdktn app writes them, synthesize under
 * cdktn 0.24 with the same Harness resources, outputs and logical ids as under cdktf 0.21,
 * and nothing of the cdktf core is loaded beside cdktn.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, SynthesizedStack, synthExample } from './helpers/synth';

const ROOT = path.join(__dirname, '..');
const CDKTN_PACKAGE = path.join(ROOT, 'dist', 'cdktn-harness-mirror');

/** Why an example cannot run under cdktn, for those that cannot. */
const NOT_UNDER_CDKTN: Record<string, string> = {
  'github-to-harness': 'it declares the GitHub webhook with the prebuilt GitHub provider, and @cdktn/provider-github is not on the npm registry',
};

/** Synthesizes an example of the cdktn package with the cdktn core, in a process of its own. */
function synthUnderCdktn(example: string, stack: string): { synth: SynthesizedStack; cores: string[] } {
  const main = path.join(CDKTN_PACKAGE, 'examples', example, 'main.ts');
  const script = [
    "const { Testing } = require('cdktn');",
    `const { buildApp } = require(${JSON.stringify(main)});`,
    `const stack = buildApp(Testing.app()).node.findChild(${JSON.stringify(stack)});`,
    'process.stdout.write(Testing.synth(stack, true));',
    // Which cores the process loaded: only cdktn may be among them.
    "process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules\\/(cdktf|cdktn)\\/lib\\/index\\.js$/.test(f))));",
  ].join('\n');
  const result = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
    cwd: CDKTN_PACKAGE,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`synthesizing the ${example} example under cdktn failed:\n${result.stderr}`);
  }
  const cores = (JSON.parse(result.stderr) as string[]).map((f) => /node_modules\/(cdktf|cdktn)\//.exec(f)![1]);
  return { synth: JSON.parse(result.stdout) as SynthesizedStack, cores };
}

/** A synthesized configuration without the core's own metadata (its name and version). */
function withoutCoreMetadata(synth: SynthesizedStack): unknown {
  return JSON.parse(JSON.stringify(synth, (key, value) => (key === '//' ? undefined : value)));
}

describe('the cdktn flavour', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(CDKTN_PACKAGE, '.jsii'))) {
      throw new Error('dist/cdktn-harness-mirror is not built: run `npm run build:cdktn` (npm test does)');
    }
  });

  test('given the built package, it is a jsii assembly depending on cdktn, not cdktf', () => {
    const assembly = JSON.parse(fs.readFileSync(path.join(CDKTN_PACKAGE, '.jsii'), 'utf8'));
    expect(assembly.name).toBe('cdktn-harness-mirror');
    expect(Object.keys(assembly.dependencies).sort()).toEqual(['cdktn', 'constructs']);
    const requires = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const f = path.join(dir, e.name);
        return e.isDirectory() ? requires(f) : e.name.endsWith('.js') ? [...fs.readFileSync(f, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]) : [];
      });
    const modules = new Set(requires(path.join(CDKTN_PACKAGE, 'lib')).filter((m) => !m.startsWith('.')));
    expect([...modules].filter((m) => /cdktf/.test(m))).toEqual([]);
    expect(modules.has('cdktn')).toBe(true);
  });

  test.each(EXAMPLES)('given the %s example, cdktn synthesizes the same configuration as cdktf, with one core loaded', (name, buildApp, stack) => {
    const skip = NOT_UNDER_CDKTN[name];
    if (skip !== undefined) {
      // eslint-disable-next-line no-console
      console.warn(`SKIPPED under cdktn: the ${name} example, because ${skip}.`);
      return;
    }
    const underCdktf = synthExample(buildApp, stack);
    const { synth: underCdktn, cores } = synthUnderCdktn(name, stack);
    expect(cores).toEqual(['cdktn']);
    expect(Object.keys(underCdktn.resource ?? {}).length).toBeGreaterThan(0);
    expect(withoutCoreMetadata(underCdktn)).toEqual(withoutCoreMetadata(underCdktf));
  });
});
