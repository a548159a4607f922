/**
 * docs/API.md is jsii-docgen's reference of the jsii assembly, kept current; and the public
 * API is documented (test/helpers/api-lint.ts). `npm test` builds the assembly first.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { documentationProblems } from './helpers/api-lint';

const ROOT = path.resolve(__dirname, '..');

describe('docs/API.md and the documentation lint, on the jsii assembly', () => {
  test('given the built assembly, jsii-docgen writes exactly the committed docs/API.md', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
    try {
      execFileSync(process.execPath, [require.resolve('jsii-docgen/bin/jsii-docgen'), '--submodule', 'root', '--output', path.join(dir, 'API.md')], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      const generated = fs.readFileSync(path.join(dir, 'API.md'), 'utf8');
      const committed = fs.readFileSync(path.join(ROOT, 'docs', 'API.md'), 'utf8');
      // A stale file fails with the first line that differs; `npm run docs` rewrites it.
      const first = generated.split('\n').findIndex((line, i) => line !== committed.split('\n')[i]);
      expect({ upToDate: generated === committed, firstDifference: first < 0 ? undefined : generated.split('\n')[first] }).toEqual({
        upToDate: true,
        firstDifference: undefined,
      });
      expect(generated).not.toContain(ROOT);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('given the assembly, every own public type and member is documented and every optional struct property has @default', async () => {
    expect(await documentationProblems(ROOT)).toEqual([]);
  });

  test('given a member without a doc comment or @default, the lint names it', async () => {
    // The lint reads an assembly; a copy of the built one with two docs removed stands in for a bad change.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-lint-'));
    try {
      const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
      const props = assembly.types['cdktf-harness-mirror.RepoMirrorProps'];
      delete props.properties.find((p: { name: string }) => p.name === 'twoWay').docs.default;
      delete assembly.types['cdktf-harness-mirror.SecretRef'].methods.find((m: { name: string }) => m.name === 'fromIdentifier').docs;
      delete assembly.fingerprint;
      assembly.fingerprint = '**********';
      fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(assembly));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: assembly.name, version: assembly.version, jsii: {} }));
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
      expect((await documentationProblems(dir)).sort()).toEqual(['RepoMirrorProps.twoWay: optional without @default', 'SecretRef.fromIdentifier: no doc comment']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
