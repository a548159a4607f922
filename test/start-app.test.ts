/**
 * "Start a new app", as the README has it: the package is packed from this checkout, a new
 * app is made in an empty directory with the README's commands and files, and the cdktf CLI
 * synthesizes it. Only the npm registry is used (and npm's cache first).
 */
import { execFileSync, ExecFileSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readmeBlocks, readmeCommands } from './helpers/readme';

const ROOT = path.join(__dirname, '..');

/** A README command line as argv: the commands here are plain words, no quoting. */
function argv(line: string): string[] {
  if (/["'`$|;&<>]/.test(line)) {
    throw new Error(`README command needs a shell, which this test does not use: ${line}`);
  }
  return line.split(/\s+/);
}

describe('README: start a new app from the packed package', () => {
  let dir: string;
  let tarball: string;
  let app: string;
  const run = (cwd: string, cmd: string, args: string[], options: ExecFileSyncOptions = {}) =>
    execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true' },
      ...options,
    }) as string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-app-'));
    run(ROOT, 'npm', ['run', 'build', '--silent']);
    const packed = JSON.parse(run(ROOT, 'npm', ['pack', '--json', '--pack-destination', dir])) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(dir, packed[0].filename);
    fs.writeFileSync(path.join(dir, 'files.json'), JSON.stringify(packed[0].files.map((f) => f.path)));
  }, 120_000);

  afterAll(() => {
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the tarball holds the build, the script, the docs and examples the README links, LICENSE and CHANGELOG; no source tests', () => {
    const files: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8'));
    for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'lib/index.js', 'lib/index.d.ts', 'src/scripts/mirror.sh', 'docs/providers.md', 'examples/two-way/main.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('test/') || (f.startsWith('src/') && f.endsWith('.ts')))).toEqual([]);
    // Every relative link of the README resolves inside the package.
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1].replace(/\/$/, ''));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      expect({ link, inPackage: files.some((f) => f === link || f.startsWith(`${link}/`)) }).toEqual({ link, inPackage: true });
    }
  });

  test('the packed package.json runs no script on install', () => {
    const manifest = JSON.parse(run(dir, 'tar', ['-xOzf', tarball, 'package/package.json']));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(manifest.scripts?.[hook]).toBeUndefined();
    }
  });

  test('given the README commands and files in an empty directory, cdktf synth writes the stack', () => {
    const commands = readmeCommands('start-app');
    const [mkdir, ...rest] = commands;
    const appName = /^mkdir (\S+) && cd \1$/.exec(mkdir)?.[1];
    expect(appName).toBeDefined();
    app = path.join(dir, appName!);
    fs.mkdirSync(app);
    for (const line of rest) {
      // The README installs the tarball built beside the app; here it is the one just packed.
      const args = argv(line).map((a) => (a.endsWith('.tgz') ? tarball : a));
      run(app, args[0], args.slice(1));
    }
    const blocks = readmeBlocks();
    for (const file of ['cdktf.json', 'tsconfig.json', 'main.ts']) {
      fs.writeFileSync(path.join(app, file), blocks[file]);
    }
    run(app, 'npx', ['cdktf', 'synth']);
    const synth = JSON.parse(fs.readFileSync(path.join(app, 'cdktf.out', 'stacks', 'mirrors', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(synth.resource).sort()).toEqual([
      'harness_platform_input_set',
      'harness_platform_pipeline',
      'harness_platform_project',
      'harness_platform_triggers',
      'terraform_data',
    ]);
    expect(Object.keys(synth.output).sort()).toEqual(['api_forward_webhook_url', 'api_reverse_webhook_url']);
    expect(synth.terraform.backend).toEqual({ local: { path: 'terraform.mirrors.tfstate' } });
    expect(JSON.stringify(synth)).not.toContain(dir);
  }, 300_000);
});
