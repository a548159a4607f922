/**
 * `cdktf-harness-mirror status` end to end: a cdktf app synthesized into a folder, its pairs
 * pointing at real repositories served over HTTPS by `git http-backend` behind Basic auth,
 * and the command run on it (in-process, and from the built package). Every state, one-way
 * and two-way, wrong and missing tokens, git's credential helpers; nothing moves, and no
 * token shows up in the output, a git argument or a file.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { main } from '../../src/cli/main';
import { secretEnvName } from '../../src/cli/credentials';
import { allRefs, annotatedTag, commitOn, copyRef } from '../helpers/bare-repo';
import { closedPort, GitServer, startGitServer } from '../helpers/git-server';
import { newToken, tokenNeedles } from '../helpers/mirror-fixture';
import { filesContaining } from '../helpers/run-step';

const MAIN = 'refs/heads/main';
const run$ = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/** One pair of the app: two repositories on the server, each with its token and secret. */
interface PairSpec {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly twoWay?: boolean;
  readonly syncDelete?: boolean;
  readonly refs?: string[];
  readonly reconcile?: boolean;
}

/** A test world: the server, the repositories' tokens by secret, a scratch folder. */
class World {
  public readonly tokens = new Map<string, string>();
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-status-'));
  public readonly tmp = path.join(this.dir, 'tmp');
  public readonly home = path.join(this.dir, 'home');
  public readonly bin = path.join(this.dir, 'bin');
  public readonly gitLog = path.join(this.dir, 'git-calls.log');

  constructor(public readonly server: GitServer) {
    for (const d of [this.tmp, this.home, this.bin]) {
      fs.mkdirSync(d);
    }
    // Every git the command starts (its own and the script's) logs its arguments first.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(this.bin, 'git'),
      `#!/bin/sh\n{ for a in "$@"; do printf '%s\\000' "$a"; done; printf '\\n'; } >>'${this.gitLog}'\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
  }

  /** A repository `name` accepting its own token, whose secret is `account.<name>`. */
  public repo(name: string): string {
    const token = newToken(name);
    this.tokens.set(`account.${name}`, token);
    return this.server.createRepo(name, { [token]: `user-${name}` });
  }

  /** Synthesizes an app with one stack per entry of `stacks` into a fresh folder; returns it. */
  public synth(stacks: Record<string, readonly PairSpec[]>): string {
    const out = fs.mkdtempSync(path.join(this.dir, 'out-'));
    const app = new App({ outdir: out });
    for (const [name, pairs] of Object.entries(stacks)) {
      const stack = new TerraformStack(app, name);
      new HarnessProvider(stack, 'harness', {});
      const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
      for (const p of pairs) {
        new RepoMirror(stack, p.id, {
          pipeline,
          source: { url: this.server.url(p.a), provider: GitProvider.GENERIC, token: SecretRef.fromIdentifier(`account.${p.a}`) },
          target: { url: this.server.url(p.b), provider: GitProvider.GENERIC, token: SecretRef.fromIdentifier(`account.${p.b}`) },
          twoWay: p.twoWay,
          syncDelete: p.syncDelete,
          refs: p.refs,
          reconcile: p.reconcile ? { schedule: '0 * * * *' } : undefined,
        });
      }
    }
    app.synth();
    return out;
  }

  /** The environment of a run: every token in its MIRROR_SECRET_ variable (but `without`), the test CA, no retry delay. */
  public env(overrides: Record<string, string | undefined> = {}, without: readonly string[] = []): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: `${this.bin}:${process.env.PATH}`,
      HOME: this.home,
      TMPDIR: this.tmp,
      GIT_SSL_CAINFO: this.server.caFile,
      GIT_SSL_CAPATH: this.server.emptyCaPath,
      MIRROR_RETRY_DELAY: '0',
    };
    for (const [secret, token] of this.tokens) {
      if (!without.includes(secret)) {
        env[secretEnvName(secret)] = token;
      }
    }
    return { ...env, ...overrides };
  }

  /** Every git call's arguments so far. */
  public gitCalls(): string[][] {
    return fs.existsSync(this.gitLog)
      ? fs.readFileSync(this.gitLog, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split('\0').slice(0, -1))
      : [];
  }

  /** Where any token (or its Basic credential) shows up: output, git arguments, files the runs left. */
  public leaks(output: string): string[] {
    const needles = [...this.tokens.values()].flatMap((t) => tokenNeedles(t, ['git', 'helper-user']));
    const found = needles.filter((n) => output.includes(n)).map((n) => `output: ${n}`);
    found.push(...needles.filter((n) => this.gitCalls().some((args) => args.some((a) => a.includes(n)))).map((n) => `git arguments: ${n}`));
    found.push(...filesContaining([this.tmp, this.home], needles));
    return found;
  }

  public async close(): Promise<void> {
    await this.server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the command in-process. */
async function status(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['status', ...args], env, (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

/** The refs of every repository on the server. */
function snapshot(server: GitServer, names: readonly string[]): Record<string, Record<string, string>> {
  return Object.fromEntries(names.map((n) => [n, allRefs(server.repoPath(n))]));
}

describe('cdktf-harness-mirror status', () => {
  let w: World;
  beforeEach(async () => {
    w = new World(await startGitServer());
  });
  afterEach(async () => {
    await w.close();
  });

  /**
   * Pair api (two-way, a <-> b) and pair web (one-way, syncDelete, c -> d), with a ref in
   * every state.
   */
  const everyState = () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => w.repo(n));
    const c1 = commitOn(a, MAIN, 'one');
    copyRef(a, b, MAIN);
    const fresh = commitOn(a, 'refs/heads/new', 'new', c1);
    const d1 = commitOn(a, 'refs/heads/behind', 'd1', c1);
    copyRef(a, b, 'refs/heads/behind');
    const d2 = commitOn(a, 'refs/heads/behind', 'd2');
    const da = commitOn(a, 'refs/heads/dev', 'dev on a', c1);
    const db = commitOn(b, 'refs/heads/dev', 'dev on b', c1);
    const onlyB = commitOn(b, 'refs/heads/only-b', 'only on b', c1);
    const v1 = annotatedTag(a, 'v1', c1, 'v1');
    copyRef(a, b, 'refs/tags/v1');
    // web: main ahead on d, old only on d
    const e1 = commitOn(c, MAIN, 'e1');
    copyRef(c, d, MAIN);
    const e2 = commitOn(d, MAIN, 'e2');
    const old = commitOn(d, 'refs/heads/old', 'old', e1);
    return { c1, fresh, d1, d2, da, db, onlyB, v1, e1, e2, old };
  };
  const PAIRS: PairSpec[] = [
    { id: 'Api', a: 'a', b: 'b', twoWay: true, syncDelete: true },
    { id: 'Web', a: 'c', b: 'd', syncDelete: true, reconcile: true },
  ];

  test('given pairs with a ref in every state, then --json lists each direction\'s refs with both SHAs, exit 3, and nothing moves', async () => {
    const v = everyState();
    const out = w.synth({ mirrors: PAIRS });
    const before = snapshot(w.server, ['a', 'b', 'c', 'd']);

    const r = await status(['--out', out, '--json'], w.env());

    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        pair: 'api',
        direction: 'forward',
        source: w.server.url('a'),
        target: w.server.url('b'),
        refs: [
          { ref: 'refs/heads/behind', state: 'behind', source: v.d2, target: v.d1 },
          { ref: 'refs/heads/dev', state: 'diverged', source: v.da, target: v.db },
          { ref: MAIN, state: 'in-sync', source: v.c1, target: v.c1 },
          { ref: 'refs/heads/new', state: 'missing', source: v.fresh, target: null },
          { ref: 'refs/heads/only-b', state: 'extra', source: null, target: v.onlyB },
          { ref: 'refs/tags/v1', state: 'in-sync', source: v.v1, target: v.v1 },
        ],
      },
      {
        pair: 'api',
        direction: 'reverse',
        source: w.server.url('b'),
        target: w.server.url('a'),
        refs: [
          { ref: 'refs/heads/behind', state: 'ahead', source: v.d1, target: v.d2 },
          { ref: 'refs/heads/dev', state: 'diverged', source: v.db, target: v.da },
          { ref: MAIN, state: 'in-sync', source: v.c1, target: v.c1 },
          { ref: 'refs/heads/new', state: 'extra', source: null, target: v.fresh },
          { ref: 'refs/heads/only-b', state: 'missing', source: v.onlyB, target: null },
          { ref: 'refs/tags/v1', state: 'in-sync', source: v.v1, target: v.v1 },
        ],
      },
      {
        pair: 'web',
        direction: 'forward',
        source: w.server.url('c'),
        target: w.server.url('d'),
        refs: [
          { ref: MAIN, state: 'ahead', source: v.e1, target: v.e2 },
          { ref: 'refs/heads/old', state: 'extra', source: null, target: v.old },
        ],
      },
    ]);
    // the dry run moved nothing, never even asked to push, and leaked no token
    expect(snapshot(w.server, ['a', 'b', 'c', 'd'])).toEqual(before);
    expect(w.server.requests.filter((q) => q.url.includes('git-receive-pack'))).toEqual([]);
    expect(w.gitCalls().filter((args) => args[0] === 'push')).toEqual([]);
    expect(w.leaks(r.stdout + r.stderr)).toEqual([]);
    expect(r.stderr).toBe('');
  });

  test('given the same pairs, then the table shows per pair the counts and each differing ref with both SHAs and what the mirror does', async () => {
    const v = everyState();
    const r = await status(['--out', w.synth({ mirrors: PAIRS })], w.env());
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('api (two-way; stack mirrors, pipeline repo_mirror)');
    expect(lines[1]).toBe(`  forward: ${w.server.url('a')} -> ${w.server.url('b')}`);
    expect(lines[2]).toBe('    6 refs: 2 in-sync, 1 missing, 1 behind, 0 ahead, 1 diverged, 1 extra');
    expect(lines[3]).toMatch(/^ {4}REF +STATE +SOURCE +TARGET +THE MIRROR$/);
    const row = (ref: string) => lines.find((l) => l.startsWith(`    ${ref} `))?.trim().split(/\s{2,}/);
    expect(row('refs/heads/behind')).toEqual(['refs/heads/behind', 'behind', v.d2, v.d1, 'fast-forwards the target']);
    expect(row('refs/heads/new')).toEqual(['refs/heads/new', 'missing', v.fresh, '-', 'creates it on the target']);
    expect(row('refs/heads/dev')).toEqual(['refs/heads/dev', 'diverged', v.da, v.db, 'leaves it: each side has commits the other lacks; resolve by hand']);
    expect(row('refs/heads/only-b')).toEqual([
      'refs/heads/only-b', 'extra', '-', v.onlyB, 'keeps it: a two-way reconcile never deletes; the opposite direction creates it on the source',
    ]);
    // one-way web: the target ahead is a conflict, the extra ref is deleted (syncDelete)
    const web = lines.slice(lines.indexOf('web (one-way; stack mirrors, pipeline repo_mirror)'));
    expect(web[2]).toBe('    2 refs: 0 in-sync, 0 missing, 0 behind, 1 ahead, 0 diverged, 1 extra');
    expect(web.find((l) => l.startsWith('    refs/heads/old '))).toContain('deletes it on the target (gone on the source; syncDelete is true)');
    expect(web.find((l) => l.startsWith('    refs/heads/main '))).toContain('leaves it: the target has commits the source lacks');
    expect(lines.filter((l) => l.length > 0).pop()).toBe('3 directions: 0 in sync, 3 out of sync, 0 failed');
    // in-sync refs get no row: api's main and v1
    const api = lines.slice(0, lines.indexOf('web (one-way; stack mirrors, pipeline repo_mirror)'));
    expect(api.filter((l) => l.startsWith(`    ${MAIN} `) || l.startsWith('    refs/tags/v1 '))).toEqual([]);
  });

  test('given the same pairs, then --markdown has a summary table and a table per direction that differs', async () => {
    const v = everyState();
    const r = await status(['--out', w.synth({ mirrors: PAIRS }), '--markdown'], w.env());
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '## Mirror status',
      '',
      '| pair | direction | source | target | in-sync | missing | behind | ahead | diverged | extra |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]);
    expect(lines[4]).toBe(`| api | forward | \`${w.server.url('a')}\` | \`${w.server.url('b')}\` | 2 | 1 | 1 | 0 | 1 | 1 |`);
    expect(lines[6]).toBe(`| web | forward | \`${w.server.url('c')}\` | \`${w.server.url('d')}\` | 0 | 0 | 0 | 1 | 0 | 1 |`);
    expect(lines).toContain('### api forward');
    expect(lines).toContain(`| \`refs/heads/behind\` | behind | \`${v.d2}\` | \`${v.d1}\` | fast-forwards the target |`);
    expect(lines).toContain(`| \`refs/heads/new\` | missing | \`${v.fresh}\` | - | creates it on the target |`);
  });

  test('given every pair in sync, then exit 0 and every direction counted in sync', async () => {
    const [a, b] = [w.repo('a'), w.repo('b')];
    commitOn(a, MAIN, 'one');
    copyRef(a, b, MAIN);
    const r = await status(['--out', w.synth({ mirrors: [{ id: 'Api', a: 'a', b: 'b', twoWay: true }] })], w.env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    1 refs: 1 in-sync, 0 missing, 0 behind, 0 ahead, 0 diverged, 0 extra\n');
    expect(r.stdout.trim().split('\n').pop()).toBe('2 directions: 2 in sync, 0 out of sync, 0 failed');
  });

  test('given a pair whose token is wrong, then exit 2, one clear line naming the side, its URL and the secret variable; the other pairs are still reported', async () => {
    everyState();
    const out = w.synth({ mirrors: PAIRS });
    const r = await status(['--out', out, '--json'], w.env({ [secretEnvName('account.c')]: 'tok-wrong-0123456789abcdef' }));
    expect(r.code).toBe(2);
    const web = JSON.parse(r.stdout).find((d: { pair: string }) => d.pair === 'web');
    expect(web).toEqual({
      pair: 'web',
      direction: 'forward',
      source: w.server.url('c'),
      target: w.server.url('d'),
      refs: [],
      error: `source ${w.server.url('c')}: authentication refused (HTTP 401): check the token (exit 20 auth-failed; the token came from MIRROR_SECRET_ACCOUNT_C)`,
    });
    expect(r.stderr).toBe(`error: web forward: ${web.error}\n`);
    expect(JSON.parse(r.stdout).filter((d: { error?: string }) => d.error === undefined)).toHaveLength(2);
    expect(r.stdout + r.stderr).not.toContain('tok-wrong-0123456789abcdef');
    expect(w.leaks(r.stdout + r.stderr)).toEqual([]);
  });

  test('given a pair whose target cannot be reached, then exit 2 with a line naming the side and the failure, after the script\'s retries', async () => {
    const [a] = [w.repo('a')];
    commitOn(a, MAIN, 'one');
    const port = await closedPort();
    const out = fs.mkdtempSync(path.join(w.dir, 'out-'));
    const app = new App({ outdir: out });
    const stack = new TerraformStack(app, 'mirrors');
    new HarnessProvider(stack, 'harness', {});
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const gone = `https://127.0.0.1:${port}/gone.git`;
    new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: w.server.url('a'), provider: GitProvider.GENERIC, token: SecretRef.fromIdentifier('account.a') },
      target: { url: gone, provider: GitProvider.GENERIC, token: SecretRef.fromIdentifier('account.gone') },
    });
    app.synth();
    const r = await status(['--out', out], w.env({ MIRROR_SECRET_ACCOUNT_GONE: 'tok-gone-0123456789abcdef', MIRROR_RETRY_ATTEMPTS: '2' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: api forward: target ${gone}: connection failed (gave up after 2 attempts) (exit 22 unavailable)\n`);
  });

  test('given no token for either side and no credential helper, then exit 2 with a line per side saying where a token would come from', async () => {
    w.repo('a');
    w.repo('b');
    const r = await status(['--out', w.synth({ mirrors: [{ id: 'Api', a: 'a', b: 'b' }] })], w.env({}, ['account.a', 'account.b']));
    expect(r.code).toBe(2);
    const origin = new URL(w.server.baseUrl).origin;
    expect(r.stderr.split('\n').filter((l) => l.length > 0)).toEqual([
      `error: api forward: source ${w.server.url('a')}: no token: set MIRROR_SECRET_ACCOUNT_A (the value of Harness secret account.a), or configure a git credential helper for ${origin}`,
      `error: api forward: target ${w.server.url('b')}: no token: set MIRROR_SECRET_ACCOUNT_B (the value of Harness secret account.b), or configure a git credential helper for ${origin}`,
    ]);
    expect(r.stdout).toContain(`    ERROR source ${w.server.url('a')}: no token: set MIRROR_SECRET_ACCOUNT_A`);
    expect(w.server.requests).toEqual([]);
  });

  test('given no MIRROR_SECRET_ variable for a side, then git\'s credential helper supplies its user name and token', async () => {
    // given: a helper in HOME's git configuration that answers with a token from another
    // variable of the environment (so no token sits in a file)
    const [a, b] = [w.repo('a'), w.repo('b')];
    const c1 = commitOn(a, MAIN, 'one');
    fs.writeFileSync(
      path.join(w.home, '.gitconfig'),
      '[credential]\n\thelper = "!f() { test \\"$1\\" = get || exit 0; echo username=helper-user; echo password=$HELPER_TOKEN; }; f"\n',
    );
    const out = w.synth({ mirrors: [{ id: 'Api', a: 'a', b: 'b' }] });
    const r = await status(['--out', out, '--json'], w.env({ HELPER_TOKEN: w.tokens.get('account.b') }, ['account.b']));
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)[0].refs).toEqual([{ ref: MAIN, state: 'missing', source: c1, target: null }]);
    // the helper's user name was sent to b, the secret's default to a
    expect(new Set(w.server.requests.filter((q) => q.url.startsWith('/b.git')).map((q) => q.basicUser))).toEqual(new Set(['helper-user']));
    expect(new Set(w.server.requests.filter((q) => q.url.startsWith('/a.git')).map((q) => q.basicUser))).toEqual(new Set(['git']));
    expect(allRefs(b)).toEqual({});
    expect(w.leaks(r.stdout + r.stderr)).toEqual([]);
  });

  test('given --stack, then only that stack is checked; an unknown stack or a missing folder is an error that says what to do', async () => {
    const [a, b] = [w.repo('a'), w.repo('b')];
    commitOn(a, MAIN, 'one');
    copyRef(a, b, MAIN);
    w.repo('c');
    w.repo('d');
    const out = w.synth({ one: [{ id: 'Api', a: 'a', b: 'b' }], two: [{ id: 'Web', a: 'c', b: 'd' }] });
    const one = await status(['--out', out, '--stack', 'one', '--json'], w.env());
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).map((d: { pair: string }) => d.pair)).toEqual(['api']);

    const unknown = await status(['--out', out, '--stack', 'three'], w.env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`cdktf-harness-mirror: no stack "three" in ${out}; its stacks: one, two\n`);

    const missing = await status(['--out', path.join(w.dir, 'nowhere')], w.env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cdktf-harness-mirror: cannot read .*nowhere\/manifest\.json \(.*\); run cdktf synth first, or pass --out with its output folder\n$/);
  });

  test('given two stacks with a pair of the same identifier, then the pairs are named by stack and pipeline', async () => {
    for (const n of ['a', 'b', 'c', 'd']) {
      commitOn(w.repo(n), MAIN, 'same');
    }
    const out = w.synth({ one: [{ id: 'Api', a: 'a', b: 'b' }], two: [{ id: 'Api', a: 'c', b: 'd' }] });
    const r = await status(['--out', out, '--json'], w.env());
    expect(JSON.parse(r.stdout).map((d: { pair: string }) => d.pair)).toEqual(['one/repo_mirror/api', 'two/repo_mirror/api']);
  });

  test('given many pairs, then progress goes to stderr, one line per direction checked', async () => {
    const pairs: PairSpec[] = [];
    for (let i = 0; i < 5; i++) {
      const [a, b] = [w.repo(`s${i}`), w.repo(`t${i}`)];
      commitOn(a, MAIN, `one ${i}`);
      copyRef(a, b, MAIN);
      pairs.push({ id: `Pair${i}`, a: `s${i}`, b: `t${i}` });
    }
    const r = await status(['--out', w.synth({ mirrors: pairs }), '--json'], w.env());
    expect(r.code).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(progress).toHaveLength(5);
    expect(progress.map((l) => l.replace(/checked: .*/, 'checked: ...'))).toEqual([1, 2, 3, 4, 5].map((n) => `status: ${n} of 5 checked: ...`));
    expect(progress.map((l) => /checked: (pair\d) forward: in sync \(1 refs\)$/.exec(l)?.[1]).sort()).toEqual(['pair0', 'pair1', 'pair2', 'pair3', 'pair4']);
    expect(JSON.parse(r.stdout)).toHaveLength(5);
  });

  test('given a pair whose URL is known only at apply time, then it is named as not checked and the run fails', async () => {
    const out = fs.mkdtempSync(path.join(w.dir, 'out-'));
    const app = new App({ outdir: out });
    const stack = new TerraformStack(app, 'mirrors');
    new HarnessProvider(stack, 'harness', {});
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const url = new TerraformVariable(stack, 'source_url', { type: 'string' });
    new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: url.stringValue, provider: GitProvider.GITHUB, token: SecretRef.fromIdentifier('account.a') },
      target: { url: 'https://example.com/b.git', provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.b') },
    });
    app.synth();
    const r = await status(['--out', out], w.env());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('note: stack mirrors, input set api_forward: not checked: sourceURL is known only after terraform apply (a reference to another resource)\n');
    expect(r.stdout).toBe('No mirrors found.\n');
  });

  test.each([
    [[], 'no command given'],
    [['sync'], 'unknown command "sync"'],
    [['status', '--json', '--markdown'], '--json and --markdown exclude each other'],
    [['status', '--colour'], "Unknown option '--colour'"],
  ])('given arguments %j, then exit 2 with the reason and the usage', async (args, reason) => {
    let stderr = '';
    const code = await main(args, {}, () => undefined, (t) => (stderr += t));
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toContain(reason);
    expect(stderr).toContain('Usage: cdktf-harness-mirror status [--out DIR] [--stack NAME] [--json | --markdown]');
  });

  test('given the built package, then its bin runs the report with the same result', async () => {
    // given: the package as npm would install it: lib/ compiled by tsc from the CLI's
    // sources, src/scripts, package.json, and the dependencies
    const pkg = path.join(w.dir, 'pkg');
    fs.mkdirSync(pkg);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify(manifest));
    fs.cpSync(path.join(ROOT, 'src', 'scripts'), path.join(pkg, 'src', 'scripts'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    fs.writeFileSync(
      path.join(pkg, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), compilerOptions: { rootDir: path.join(ROOT, 'src'), outDir: path.join(pkg, 'lib') }, files: [path.join(ROOT, 'src', 'cli', 'main.ts')], include: [] }),
    );
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkg, 'tsconfig.json')], { stdio: 'pipe' });
    const bin = path.join(pkg, manifest.bin['cdktf-harness-mirror']);
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);

    const v = everyState();
    const out = w.synth({ mirrors: PAIRS });
    const inProcess = await status(['--out', out, '--json'], w.env());
    // asynchronously: the git server answers from this process
    let built: { code: number; stdout: string };
    try {
      built = { code: 0, ...(await run$(process.execPath, [bin, 'status', '--out', out, '--json'], { env: w.env(), encoding: 'utf8' })) };
    } catch (e) {
      built = e as { code: number; stdout: string };
    }
    expect(built.code).toBe(3);
    expect(built.stdout).toBe(inProcess.stdout);
    expect(JSON.parse(built.stdout)[0].refs[0]).toEqual({ ref: 'refs/heads/behind', state: 'behind', source: v.d2, target: v.d1 });
    expect(w.leaks(built.stdout)).toEqual([]);
  });
});
