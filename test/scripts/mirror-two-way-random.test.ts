/**
 * A randomized two-way mirror: two repositories, a few hundred random pushes on either
 * side (fast-forwards, force pushes, rollbacks, creations, deletions, annotated tags
 * created, moved and deleted), each followed by the mirror run its webhook fires. Runs
 * are delivered late, out of order and several at a time; every push a run makes fires
 * the other side's webhook in turn (the echo runs). Seeded and reproducible: `npm test` runs
 * one seed with 100 pushes; `npm run test:soak` runs several seeds with 400 pushes each.
 * MIRROR_RANDOM_SEEDS (comma-separated) and MIRROR_RANDOM_STEPS override the defaults.
 *
 * Checked after every run, from the target's own post-receive log:
 * - a run only ever updates its target, and only its reference;
 * - every update is a creation, a fast-forward, or replaces exactly the source's previous
 *   SHA of the webhook (the lease), so no commit that existed only on the target is lost;
 * - every run ends with a summary line of a known kind, so a run that did not sync says why.
 * At the end, every ref that still differs had a run report a conflict (or leave a target
 * that was ahead); resolving each as the failure line says (pick a side, rerun with
 * referenceShaOld = the other side's SHA) makes both repositories equal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES as X } from '../../src/model/exit-codes';
import { allRefs, annotatedTag, deleteRef, gitIn, isAncestor, makeCommit, refValue, setRef } from '../helpers/bare-repo';
import { MirrorFixture, MirrorInputs, triggeredInputs } from '../helpers/mirror-fixture';
import { prng } from '../helpers/prng';

const SEEDS = (process.env.MIRROR_RANDOM_SEEDS ?? '20240611').split(',').map((s) => Number(s.trim()));
const STEPS = Number(process.env.MIRROR_RANDOM_STEPS ?? 100);
/**
 * The test's timeout: a minute, plus 4 s per push (a push and its runs take about 0.4 s on
 * an idle 2-core machine, so the timeout is ten times what a run needs there).
 */
const TIMEOUT_MS = 60_000 + STEPS * 4_000;
const ZEROS = '0'.repeat(40);
const BRANCHES = ['refs/heads/main', 'refs/heads/dev', 'refs/heads/topic'];
const TAGS = ['refs/tags/v1', 'refs/tags/v2'];

type Side = 'a' | 'b';

/**
 * A run waiting to be delivered: a webhook's (from a push on `side`), or an operator's
 * manual run from `side` with a typed referenceShaOld (`manualOld`).
 */
interface Webhook {
  readonly side: Side;
  readonly ref: string;
  readonly before: string;
  readonly after: string;
  readonly cause: string;
  readonly manualOld?: string;
}

/** A finished run, for the final report. */
interface RunRecord {
  readonly id: number;
  readonly hook: Webhook;
  readonly code: number;
  readonly line: string;
}

/** The kinds of summary line a run may end with. */
const OK_LINE = new RegExp(
  '^mirror: ok: refs/\\S+: target \\S+ -> \\S+: (' +
    [
      'created on target',
      'fast-forwarded target',
      "force-updated target \\(lease on the source's previous [0-9a-f]{40}: the source was force-pushed\\)",
      "moved the tag on target \\(lease on the source's previous [0-9a-f]{40}\\)",
      'deleted on target \\(lease on [0-9a-f]{40}\\)',
      'already in sync, nothing to do',
      'deleted on both sides, nothing to do',
      "target is ahead of source [0-9a-f]{40} \\(it has all of the source's commits\\); left unchanged",
    ].join('|') +
    ')$',
);
const FAIL_LINE = /^mirror: failed \(exit (\d+) ([a-z-]+)\): (.*)$/;
const CONFLICT_CODES: number[] = [X.NOT_FAST_FORWARD.code, X.TARGET_MOVED.code, X.DELETE_REFUSED.code];

test.each(SEEDS)(`randomized two-way mirroring (seed %i, ${STEPS} pushes) never loses a target-only commit and converges once conflicts are resolved`, async (SEED) => {
  const started = Date.now();
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const f = await MirrorFixture.start();
  const repo = (side: Side) => (side === 'a' ? f.repoA : f.repoB);
  const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');

  // Each repository logs every update it receives, with the pushing token's label.
  const logs: Record<Side, string> = { a: path.join(f.repoA, 'push.log'), b: path.join(f.repoB, 'push.log') };
  const logOffsets: Record<Side, number> = { a: 0, b: 0 };
  for (const side of ['a', 'b'] as const) {
    fs.writeFileSync(logs[side], '');
    f.server.installHook(side, 'post-receive', `#!/bin/sh\nwhile read old new ref; do printf '%s %s %s %s\\n' "$REMOTE_USER" "$old" "$new" "$ref" >> '${logs[side]}'; done\n`);
  }

  const pending: Webhook[] = [];
  const records: RunRecord[] = [];
  const violations: string[] = [];
  const outcomes = new Map<string, number>();
  const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  let commitNo = 0;
  let runNo = 0;

  /** One random user push on a random side; queues its webhook. */
  const userPush = () => {
    const side: Side = random() < 0.5 ? 'a' : 'b';
    const r = repo(side);
    const isTag = random() < 0.25;
    const ref = pick(isTag ? TAGS : BRANCHES);
    const old = refValue(r, ref);
    const tips = BRANCHES.map((b) => refValue(r, b)).filter((v): v is string => v !== undefined);
    const msg = () => `${side}-${++commitNo}`;
    let next: string | undefined;
    let cause: string;
    const roll = random();
    try {
      if (isTag) {
        const target = tips.length > 0 ? pick(tips) : makeCommit(r, msg(), []);
        if (old === undefined || roll < 0.6) {
          next = annotatedTag(r, ref.slice('refs/tags/'.length), target, msg(), old !== undefined);
          cause = old === undefined ? 'tag created' : 'tag moved';
        } else {
          deleteRef(r, ref, old);
          cause = 'tag deleted';
        }
      } else if (old === undefined) {
        next = makeCommit(r, msg(), tips.length > 0 && roll < 0.8 ? [pick(tips)] : []);
        setRef(r, ref, next, undefined);
        cause = 'branch created';
      } else if (roll < 0.6) {
        next = makeCommit(r, msg(), [old]);
        setRef(r, ref, next, old);
        cause = 'fast-forward';
      } else if (roll < 0.75) {
        const parents = gitParents(r, old);
        next = makeCommit(r, msg(), parents.slice(0, 1));
        setRef(r, ref, next, old);
        cause = 'force push (rewrite)';
      } else if (roll < 0.85) {
        const parents = gitParents(r, old);
        if (parents.length === 0) {
          return;
        }
        next = parents[0];
        setRef(r, ref, next, old);
        cause = 'force push (rollback)';
      } else if (ref !== BRANCHES[0]) {
        // (hosts refuse to delete the default branch, so users do not try)
        deleteRef(r, ref, old);
        cause = 'branch deleted';
      } else {
        return;
      }
    } catch {
      // a mirror run moved the ref in between: this push lost the race, as on a server
      return;
    }
    count(`push: ${cause}`);
    pending.push({ side, ref, before: old ?? ZEROS, after: next ?? ZEROS, cause: `user ${cause}` });
  };

  /** Runs the webhook's mirror run, checks the invariants, queues the echo webhooks. */
  const deliver = async (hook: Webhook): Promise<RunRecord> => {
    const id = ++runNo;
    const label = `run-${id}`;
    const source = hook.side;
    const target = other(source);
    const sourceToken = `tok-${label}-source-${SEED}`;
    const targetToken = `tok-${label}-target-${SEED}`;
    f.server.allowToken(source, sourceToken, label);
    f.server.allowToken(target, targetToken, label);
    const inputSet = {
      sourceURL: f.server.url(source),
      targetURL: f.server.url(target),
      sourceToken,
      targetToken,
      syncDelete: 'true',
      twoWay: 'true',
    };
    const inputs: MirrorInputs =
      hook.manualOld === undefined
        ? triggeredInputs(inputSet, { ref: hook.ref, before: hook.before, after: hook.after })
        : { ...inputSet, reference: hook.ref, referenceShaOld: hook.manualOld };
    const result = await f.run(inputs, {
      shellBinary: 'sh',
      traceGit: false,
      snapshotRemoved: false,
      scanServer: false,
      timeoutMs: 120_000,
    });
    const record = { id, hook, code: result.code, line: result.lastLine };
    records.push(record);

    const known = OK_LINE.test(result.lastLine) || (FAIL_LINE.test(result.lastLine) && CONFLICT_CODES.includes(result.code));
    if (!known || (result.code === 0) !== result.lastLine.startsWith('mirror: ok: ')) {
      violations.push(`${label} (${hook.cause} on ${source}, ${hook.ref}) ended with exit ${result.code}: ${result.lastLine}\n${result.stdout}${result.stderr}`);
    }
    const m = FAIL_LINE.exec(result.lastLine);
    // `mirror: ok: REF: target X -> Y: what was done`, counted by what was done
    count(m ? `run: failed ${m[2]}` : `run: ${result.lastLine.split(': ').slice(4).join(': ').replace(/ (\(|[0-9a-f]{40}).*$/, '')}`);
    return record;
  };

  /** Reads new post-receive log lines; checks every run-made update; queues echo webhooks. */
  const collectUpdates = (runs: ReadonlyMap<string, { hook: Webhook; lease: string }>) => {
    for (const side of ['a', 'b'] as const) {
      const text = fs.readFileSync(logs[side], 'utf8');
      const fresh = text.slice(logOffsets[side]);
      logOffsets[side] = text.length;
      for (const line of fresh.split('\n').filter((l) => l.length > 0)) {
        const [label, oldV, newV, ref] = line.split(' ');
        const run = runs.get(label);
        if (!run) {
          violations.push(`update by unknown pusher ${label} on ${side}: ${line}`);
          continue;
        }
        const where = `${label} (${run.hook.cause} on ${run.hook.side}, ${run.hook.ref}, lease ${run.lease}) updated ${side} ${ref} ${oldV} -> ${newV}`;
        if (side === run.hook.side) {
          violations.push(`${where}: a run wrote to its own source`);
        }
        if (ref !== run.hook.ref) {
          violations.push(`${where}: not its reference`);
        }
        const created = oldV === ZEROS;
        const leased = oldV === run.lease;
        const fastForward = !created && newV !== ZEROS && ref.startsWith('refs/heads/') && isAncestor(repo(side), oldV, newV);
        if (!(created || leased || fastForward)) {
          violations.push(`${where}: neither a creation, a fast-forward nor a lease on the source's previous SHA`);
        }
        pending.push({ side, ref, before: oldV, after: newV, cause: `echo of ${label}` });
      }
    }
  };

  /**
   * The operator's answer to a failure line: keep the source's side (rerun with the
   * target's SHA as referenceShaOld) or the target's (run the opposite direction with the
   * SHA the line gives, if any), exactly as the line says.
   */
  const resolution = (rec: RunRecord, keepSource: boolean): Webhook => {
    const source = rec.hook.side;
    const line = rec.line;
    const rerun = /rerun with referenceShaOld=([0-9a-f]{40})/.exec(line);
    const opposite = /run the opposite direction(?: with referenceShaOld=([0-9a-f]{40}))?/.exec(line);
    if (!rerun || !opposite) {
      throw new Error(`failure line without resolution steps: ${line}`);
    }
    return keepSource
      ? { side: source, ref: rec.hook.ref, before: '', after: '', cause: `operator keeps ${source} after run-${rec.id}`, manualOld: rerun[1] }
      : { side: other(source), ref: rec.hook.ref, before: '', after: '', cause: `operator keeps ${other(source)} after run-${rec.id}`, manualOld: opposite[1] ?? '' };
  };

  const labels = new Map<string, { hook: Webhook; lease: string }>();
  const runBatch = async (hooks: Webhook[]): Promise<RunRecord[]> => {
    const firstId = runNo + 1;
    hooks.forEach((h, i) => labels.set(`run-${firstId + i}`, { hook: h, lease: h.manualOld ?? h.before }));
    const batch = hooks.map((h) => deliver(h));
    // Users keep pushing while runs are in flight.
    if (random() < 0.3) {
      userPush();
    }
    const done = await Promise.all(batch);
    collectUpdates(labels);
    return done;
  };
  // Mostly in order, but a third of the time any queued run overtakes the others.
  const takeRandom = (): Webhook => pending.splice(random() < 0.65 ? 0 : Math.floor(random() * pending.length), 1)[0];

  try {
    // The random phase: one push per step, then 0-3 runs picked at random from the queue
    // (so runs are late and out of order), run concurrently. An operator answers most
    // conflicts as their line says, that run being queued like the others.
    for (let step = 0; step < STEPS; step++) {
      if (step % 25 === 24) {
        // server maintenance between runs: pack objects, keep unreachable ones (old values
        // stay inspectable for the invariant checks)
        for (const side of ['a', 'b'] as const) {
          gitIn(repo(side), ['repack', '-a', '-d', '-k', '-q']);
        }
      }
      userPush();
      const roll = random();
      const n = Math.min(pending.length, roll < 0.15 ? 0 : roll < 0.6 ? 1 : roll < 0.85 ? 2 : 3);
      for (const rec of await runBatch(Array.from({ length: n }, takeRandom))) {
        if (CONFLICT_CODES.includes(rec.code) && random() < 0.6) {
          pending.unshift(resolution(rec, random() < 0.5));
          count('operator runs during the random phase');
        }
      }
    }
    // Deliver everything still queued, echoes included.
    while (pending.length > 0) {
      await runBatch(Array.from({ length: Math.min(pending.length, 3) }, takeRandom));
    }
    expect(violations).toEqual([]);

    // Every ref that still differs had a run say why.
    const refsA = allRefs(f.repoA);
    const refsB = allRefs(f.repoB);
    const differing = [...new Set([...Object.keys(refsA), ...Object.keys(refsB)])].filter((r) => refsA[r] !== refsB[r]).sort();
    for (const ref of differing) {
      const explained = records.some(
        (rec) => rec.hook.ref === ref && (CONFLICT_CODES.includes(rec.code) || rec.line.includes('target is ahead of source')),
      );
      expect({ ref, explained }).toEqual({ ref, explained: true });
    }

    // Resolve each: a manual run a -> b reports the state, the operator picks a side at
    // random and does what the report says; then the echoes run.
    for (const ref of differing) {
      const [report] = await runBatch([{ side: 'a', ref, before: '', after: '', cause: 'operator inspects', manualOld: '' }]);
      const keepSource = random() < 0.5;
      if (CONFLICT_CODES.includes(report.code)) {
        await runBatch([resolution(report, keepSource)]);
      } else if (report.line.includes('target is ahead of source')) {
        // nothing lost either way; keeping a's side drops b's extra commits under a lease
        const target = /: target ([0-9a-f]{40}) -> /.exec(report.line)![1];
        await runBatch([
          keepSource
            ? { side: 'a', ref, before: '', after: '', cause: 'operator keeps a (behind)', manualOld: target }
            : { side: 'b', ref, before: '', after: '', cause: 'operator keeps b (ahead)', manualOld: '' },
        ]);
      }
      count('refs resolved at the end');
    }
    while (pending.length > 0) {
      await runBatch(Array.from({ length: Math.min(pending.length, 3) }, takeRandom));
    }
    expect(violations).toEqual([]);
    expect(allRefs(f.repoA)).toEqual(allRefs(f.repoB));

    // eslint-disable-next-line no-console
    console.log(
      `seed ${SEED}: ${STEPS} pushes, ${records.length} runs, ${differing.length} refs resolved by hand, ${((Date.now() - started) / 1000).toFixed(1)}s\n` +
        [...outcomes.entries()].sort().map(([k, v]) => `  ${k}: ${v}`).join('\n'),
    );
    // The run exercised what it is meant to exercise.
    const seen = (k: string) => outcomes.get(k) ?? 0;
    expect(seen('run: fast-forwarded target')).toBeGreaterThan(0);
    expect(seen('run: force-updated target')).toBeGreaterThan(0);
    expect(seen('run: deleted on target')).toBeGreaterThan(0);
    expect(seen('run: moved the tag on target')).toBeGreaterThan(0);
    expect(seen('run: already in sync, nothing to do')).toBeGreaterThan(0);
    expect(seen('run: failed target-moved') + seen('run: failed delete-refused')).toBeGreaterThan(0);
  } finally {
    await f.close();
  }
}, TIMEOUT_MS);

function gitParents(repoPath: string, commit: string): string[] {
  const line = gitIn(repoPath, ['rev-list', '--parents', '-n', '1', commit]);
  return line.split(' ').slice(1);
}
