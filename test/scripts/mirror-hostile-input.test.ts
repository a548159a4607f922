/**
 * Hostile input and secrets. Harness substitutes `<+...>` values into a Run step's command
 * text before the shell reads it, so any webhook-controlled value placed there is code.
 * First the guide's own design is run that way and shown to execute a forged ref and to
 * spread the token around; then the same inputs are fed to the mirror script, which gets
 * every value through the environment and validates it before any git command runs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { commitOn, refValue } from '../helpers/bare-repo';
import { RunStepSpec } from '../helpers/example-step';
import { closedPort } from '../helpers/git-server';
import { MirrorFixture, MirrorInputs, failurePrefix, mirrorContext, tokenLeaks } from '../helpers/mirror-fixture';
import { runStep } from '../helpers/run-step';

const MAIN = 'refs/heads/main';

/**
 * The guide's design: the variables are assigned in the command text itself and the
 * tokens are put into the remote URLs (a condensed rendition of its steps).
 */
const GUIDE_DESIGN: RunStepSpec = {
  shell: 'Sh',
  envVariables: {},
  command: [
    'SOURCE_TOKEN=<+pipeline.variables.sourceToken>',
    'SOURCE_URL=<+pipeline.variables.sourceURL>',
    'TARGET_TOKEN=<+pipeline.variables.targetToken>',
    'TARGET_URL=<+pipeline.variables.targetURL>',
    'REFERENCE=<+pipeline.variables.reference>',
    'REFERENCE_SHA_OLD=<+pipeline.variables.referenceShaOld>',
    'SYNC_DELETE=<+pipeline.variables.syncDelete>',
    'SOURCE_AUTH=$(echo "$SOURCE_URL" | sed "s#https://#https://git:$SOURCE_TOKEN@#")',
    'TARGET_AUTH=$(echo "$TARGET_URL" | sed "s#https://#https://git:$TARGET_TOKEN@#")',
    'git init --bare mirror.git && cd mirror.git',
    'git remote add source "$SOURCE_AUTH"',
    'git remote add target "$TARGET_AUTH"',
    'git ls-remote --exit-code source "$REFERENCE" || exit 1',
    'git fetch source "$REFERENCE:refs/mirror/ref" || exit 1',
    'git push target "refs/mirror/ref:$REFERENCE" || exit 2',
    '',
  ].join('\n'),
};

describe('the guide design, run as Harness runs it', () => {
  let f: MirrorFixture;
  beforeAll(async () => {
    f = await MirrorFixture.start();
    commitOn(f.repoA, MAIN, 'one');
  });
  afterAll(async () => {
    await f.close();
  });

  const runGuide = async (inputs: MirrorInputs) =>
    runStep(GUIDE_DESIGN, mirrorContext(inputs), { extraEnv: f.baseEnv(), traceGit: true, watchProcesses: true });

  test.each([
    ['command substitution', 'refs/heads/$(touch marker)'],
    ['command separator', 'refs/heads/a;touch marker'],
  ])('a forged ref (%s) runs a command on the build machine', async (_kind, reference) => {
    const r = await runGuide(f.inputs(reference));
    try {
      expect(fs.existsSync(path.join(r.dirs.cwd, 'marker'))).toBe(true);
    } finally {
      r.cleanup();
    }
  });

  test('the token lands in process arguments and in .git/config', async () => {
    const r = await runGuide(f.inputs(MAIN));
    try {
      expect(r.code).toBe(0);
      const leaks = tokenLeaks(r, [f.tokenA, f.tokenB], [r.dirs.cwd]);
      expect(leaks.some((l) => l.startsWith('git arguments:'))).toBe(true);
      expect(leaks.some((l) => l.startsWith('process command line:'))).toBe(true);
      expect(leaks.some((l) => l.includes(`${path.sep}mirror.git${path.sep}config:`))).toBe(true);
    } finally {
      r.cleanup();
    }
  });
});

describe('the mirror script with the same inputs', () => {
  let f: MirrorFixture;
  beforeAll(async () => {
    f = await MirrorFixture.start();
    commitOn(f.repoA, MAIN, 'one');
  });
  afterAll(async () => {
    await f.close();
  });

  /** Runs, expects exit `code` with no git command run, no request served, no marker made. */
  const expectRefusedBeforeGit = async (inputs: MirrorInputs, name: keyof typeof X, mentions: string) => {
    const served = f.server.requests.length;
    const r = await f.run(inputs);
    expect(r.code).toBe(X[name].code);
    expect(r.lastLine.startsWith(failurePrefix(name))).toBe(true);
    expect(r.lastLine).toContain(mentions);
    expect(r.gitCalls).toEqual([]);
    expect(f.server.requests.length).toBe(served);
    expect(r.cwdEntries).toEqual([]);
    return r;
  };

  test.each([
    ['command substitution', 'refs/heads/$(touch marker)'],
    ['command separator with a space', 'refs/heads/a;touch marker'],
    ['an option', '--upload-pack=touch marker'],
    ['an option without spaces', '--upload-pack=touch${IFS}marker'],
    ['a ref followed by an option', 'refs/heads/x --upload-pack=touch${IFS}marker'],
    ['a short name', 'main'],
    ['another namespace', 'refs/remotes/origin/main'],
    ['a pattern', 'refs/heads/*'],
    ['a path escape', 'refs/heads/../../config'],
    ['a lock file name', 'refs/heads/x.lock'],
    ['a reflog expression', 'refs/heads/x@{1}'],
  ])('refuses a reference that is %s, before any git command', async (_kind, reference) => {
    await expectRefusedBeforeGit(f.inputs(reference), 'INVALID_INPUT', 'reference must be a valid full ref name');
  });

  test('never prints a forged line break from a reference', async () => {
    const r = await expectRefusedBeforeGit(
      f.inputs('refs/heads/x\nmirror: ok: refs/heads/x: forged'),
      'INVALID_INPUT',
      'not shown: contains control characters',
    );
    expect(r.stdout).not.toContain('forged');
  });

  test.each([
    ['$(touch marker)'],
    ['abc123'],
    ['g'.repeat(40)],
    ['a'.repeat(41)],
    [`${'a'.repeat(40)};touch marker`],
  ])('refuses referenceShaOld %p before any git command', async (sha) => {
    await expectRefusedBeforeGit(f.inputs(MAIN, { referenceShaOld: sha }), 'INVALID_INPUT', 'referenceShaOld must be a 40 or 64 digit hex SHA');
  });

  test.each([
    ['http://127.0.0.1/a.git'],
    ['https://git:secret@127.0.0.1/a.git'],
    ['https://127.0.0.1/a.git;touch marker'],
    ['https://127.0.0.1/$(touch marker)'],
    ['ext::sh -c touch% marker'],
    ['file:///etc'],
    ['https://-oProxyCommand=x/a.git'],
    ['https://127.0.0.1'],
    ['https://127.0.0.1/a.git\n'],
  ])('refuses sourceURL %p before any git command', async (url) => {
    await expectRefusedBeforeGit({ ...f.inputs(MAIN), sourceURL: url }, 'INVALID_INPUT', 'sourceURL must be an https clone URL');
  });

  test.each([
    ['syncDelete', { syncDelete: 'yes' }, 'syncDelete (MIRROR_SYNC_DELETE) must be true or false'],
    ['twoWay', { twoWay: '1' }, 'twoWay (MIRROR_TWO_WAY) must be true or false'],
    ['sourceUsername', { sourceUsername: 'a:b' }, 'sourceUsername must be 1 to 128 letters, digits or . _ @ + -'],
    ['targetUsername', { targetUsername: '$(touch marker)' }, 'targetUsername must be 1 to 128 letters, digits or . _ @ + -'],
    ['refFilters', { refFilters: 'refs/heads/$(touch marker)' }, 'refFilters:'],
    ['refFilters', { refFilters: 'main' }, 'refFilters:'],
    ['sourceToken', { sourceToken: '' }, 'sourceToken (MIRROR_SOURCE_TOKEN) is empty'],
    ['targetToken', { targetToken: 'null' }, 'targetToken (MIRROR_TARGET_TOKEN) is empty'],
  ])('refuses a bad %s before any git command', async (_name, extra, mentions) => {
    await expectRefusedBeforeGit({ ...f.inputs(MAIN), ...extra }, 'INVALID_INPUT', mentions);
  });

  test.each([['all'], ['$(touch marker)'], ['REF'], ['Reconcile']])('refuses mode %p as unsupported', async (mode) => {
    await expectRefusedBeforeGit(f.inputs(MAIN, { mode }), 'UNSUPPORTED_MODE', 'is not supported');
  });

  test('refuses a reference outside refFilters before contacting anything', async () => {
    await expectRefusedBeforeGit(
      f.inputs('refs/heads/dev', { refFilters: 'refs/heads/main refs/heads/release/*\nrefs/tags/v*' }),
      'REF_FILTERED',
      'refs/heads/dev matches none of refFilters',
    );
  });

  test.each([
    ['refs/heads/release/*', 'refs/heads/release/1.0/hotfix'],
    ['refs/heads/main\nrefs/tags/v?.*', 'refs/tags/v1.2'],
    ['  refs/heads/main  ', 'refs/heads/main'],
  ])('refFilters %p admits %p', async (refFilters, reference) => {
    const tip = commitOn(f.repoA, reference, 'filtered');
    const r = await f.run(f.inputs(reference, { refFilters }));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, reference)).toBe(tip);
  });

  test.each([
    ['a command separator', 'refs/heads/a;touch${IFS}marker'],
    ['a command substitution', 'refs/heads/$(touch${IFS}marker)'],
    ['backticks and quotes', "refs/heads/`touch${IFS}marker`'\"x"],
  ])('mirrors a valid but shell-hostile ref name (%s) literally', async (_kind, reference) => {
    // git accepts these names; the script passes them as one argument and never as code
    const tip = commitOn(f.repoA, reference, 'hostile name');
    const r = await f.run(f.inputs(reference));
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, reference)).toBe(tip);
    expect(r.cwdEntries).toEqual([]);
    expect(r.homeEntries).toEqual([]);
    // (the ls-remote calls that name a ref: a listing of all branches and tags names none)
    expect(r.gitCalls.filter((a) => a[0] === 'ls-remote' && a[a.length - 1].startsWith('refs/')).map((a) => a[a.length - 1])).toEqual([
      reference,
      reference,
    ]);
  });

  test('a token full of shell syntax works and runs nothing', async () => {
    const token = "t$(touch marker)`touch marker`';touch marker;\"\n\\";
    f.server.allowToken('b', token, 'odd');
    const tip = commitOn(f.repoA, 'refs/heads/odd-token', 'one');
    const r = await f.run({ ...f.inputs('refs/heads/odd-token'), targetToken: token });
    expect(r.code).toBe(0);
    expect(refValue(f.repoB, 'refs/heads/odd-token')).toBe(tip);
    expect(r.cwdEntries).toEqual([]);
  });

  test('no token in output, process arguments, process list or files, on success and on failure', async () => {
    commitOn(f.repoA, 'refs/heads/scan', 'one');
    // success: create, then fast-forward
    const created = await f.run(f.inputs('refs/heads/scan'), { watchProcesses: true, checkLeaks: false });
    commitOn(f.repoA, 'refs/heads/scan', 'two');
    const forwarded = await f.run(f.inputs('refs/heads/scan'), { watchProcesses: true, checkLeaks: false });
    // failure: the target refuses the source's token
    const refused = await f.run({ ...f.inputs('refs/heads/scan'), targetToken: f.tokenA }, { watchProcesses: true, checkLeaks: false });
    expect([created.code, forwarded.code, refused.code]).toEqual([0, 0, X.AUTH_FAILED.code]);
    for (const r of [created, forwarded, refused]) {
      // the run saw git commands and processes, so the scan had something to look at
      expect(r.gitCalls.length).toBeGreaterThan(3);
      expect(r.processCommandLines.some((c) => c.includes('ls-remote'))).toBe(true);
      expect(tokenLeaks(r, [f.tokenA, f.tokenB], [f.server.root])).toEqual([]);
    }
  });

  test('the token checks themselves catch a leak', async () => {
    // A guard against a scan that can never fail: echo the token on purpose.
    const leaky: RunStepSpec = { shell: 'Sh', command: 'echo "$MIRROR_TARGET_TOKEN"; echo "$MIRROR_TARGET_TOKEN" > file', envVariables: { MIRROR_TARGET_TOKEN: '<+pipeline.variables.targetToken>' } };
    const r = await runStep(leaky, mirrorContext(f.inputs(MAIN)));
    try {
      const leaks = tokenLeaks(r, [f.tokenB], [r.root]);
      expect(leaks.some((l) => l.startsWith('stdout:'))).toBe(true);
      expect(leaks.some((l) => l.includes(`${path.sep}work${path.sep}file:`))).toBe(true);
    } finally {
      r.cleanup();
    }
  });
});

describe("the script's own ref-name rules agree with git check-ref-format", () => {
  let f: MirrorFixture;
  let unreachable: string;
  beforeAll(async () => {
    f = await MirrorFixture.start();
    unreachable = `https://127.0.0.1:${await closedPort()}/x.git`;
  });
  afterAll(async () => {
    await f.close();
  });

  const NAMES = [
    'refs/heads/main', 'refs/tags/v1.2.3', 'refs/heads/feature/a-b_c', 'refs/heads/caf\u00e9', 'refs/heads/a;b', 'refs/heads/$x',
    'refs/heads/a+b@c', 'refs/heads/{x}', 'refs/heads/x.y', 'refs/heads/-x', 'refs/heads/@', 'refs/heads/a@b',
    'refs/heads/.x', 'refs/heads/x/.y', 'refs/heads/x.', 'refs/heads/x..y', 'refs/heads/x.lock', 'refs/heads/x.lock/y',
    'refs/heads/x/', 'refs/heads//x', 'refs/heads/x y', 'refs/heads/x\ty', 'refs/heads/x~1', 'refs/heads/x^', 'refs/heads/x:y',
    'refs/heads/x?', 'refs/heads/x*', 'refs/heads/x[', 'refs/heads/x\\y', 'refs/heads/x@{y', 'refs/heads/x\u007f', 'refs/heads/',
  ];

  test.each(NAMES.map((n) => [JSON.stringify(n), n]))('%s', async (_shown, name) => {
    let gitAccepts = true;
    try {
      execFileSync('git', ['check-ref-format', name], { stdio: 'pipe' });
    } catch {
      gitAccepts = false;
    }
    const r = await f.run({ ...f.inputs(name), targetURL: unreachable }, { extraEnv: { MIRROR_RETRY_ATTEMPTS: '1' } });
    if (gitAccepts) {
      // accepted: it went on to contact the (unreachable) target
      expect(r.code).toBe(X.UNAVAILABLE.code);
    } else {
      // refused by the script's own rules, before any git command
      expect(r.code).toBe(X.INVALID_INPUT.code);
      expect(r.gitCalls).toEqual([]);
    }
  });
});
