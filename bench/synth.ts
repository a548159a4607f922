/**
 * Synthesis benchmark: stacks of 100, 200 and 400 two-way pairs on one pipeline. Reports
 * the median synth time and the size of cdk.tf.json, and how both grow per pair.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { GitProvider, HarnessProvider, MirrorPipeline, RepoMirror, SecretRef } from '../src';
import { median, table } from './stats';

function synthesize(pairs: number): { ms: number; bytes: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'mirrors');
    new HarnessProvider(stack, 'harness', {});
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const gh = SecretRef.fromIdentifier('account.github_token');
    const hc = SecretRef.fromIdentifier('harness_code_token');
    for (let i = 0; i < pairs; i++) {
      new RepoMirror(stack, `repo${i}`, {
        pipeline,
        source: { url: `https://github.com/acme/repo${i}.git`, provider: GitProvider.GITHUB, token: gh },
        target: { url: `https://git.harness.io/acme/default/platform/repo${i}.git`, provider: GitProvider.HARNESS_CODE, token: hc },
        twoWay: true,
        syncDelete: true,
      });
    }
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const bytes = fs.statSync(path.join(outdir, 'stacks', 'mirrors', 'cdk.tf.json')).size;
    return { ms, bytes };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs the synthesis benchmark and prints its table. */
export function benchSynth(runs: number): void {
  synthesize(10); // warm-up: module loading and JIT
  const sizes = [100, 200, 400];
  const results = sizes.map((pairs) => {
    const samples = Array.from({ length: runs }, () => synthesize(pairs));
    return { pairs, ms: median(samples.map((s) => s.ms)), bytes: samples[0].bytes };
  });
  const base = results[0];
  console.log(`\nSynthesis: one pipeline with N two-way pairs (median of ${runs} runs)`);
  console.log(
    table(
      ['pairs', 'synth ms', 'cdk.tf.json bytes', 'ms per pair', 'bytes per pair', 'time growth vs 100 (linear = N/100)', 'size growth vs 100'],
      results.map((r) => [
        String(r.pairs),
        r.ms.toFixed(0),
        String(r.bytes),
        (r.ms / r.pairs).toFixed(2),
        (r.bytes / r.pairs).toFixed(0),
        `${(r.ms / base.ms).toFixed(2)}x (expected ${(r.pairs / base.pairs).toFixed(0)}x)`,
        `${(r.bytes / base.bytes).toFixed(2)}x`,
      ]),
    ),
  );
}
