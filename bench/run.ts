/**
 * `npm run bench`: timing and size benchmarks, each against a baseline measured in the
 * same run. Not a test: nothing fails on timings.
 *
 *   npm run bench               # everything
 *   npm run bench -- synth      # synthesis only
 *   npm run bench -- git        # mirror runs only (builds .bench-cache/ on first use)
 *   npm run bench -- latency    # fast-forward and echo through a proxy adding 25 ms each way
 *   BENCH_RUNS=9 npm run bench  # runs per case (default 5; medians are reported)
 *   BENCH_CASES=fast,echo npm run bench -- git   # only the cases whose names start so
 *   BENCH_REPOS=dense npm run bench -- git       # only the merge-dense repository (or light)
 *   BENCH_BEFORE=main npm run bench -- git       # also time the mirror script of that revision
 *   BENCH_APPROACHES=warm,before npm run bench -- git  # the script and only these baselines
 *   BENCH_LATENCY_MS=50 npm run bench -- latency # another delay
 *   BENCH_SHOW_OUTPUT=1 npm run bench -- git     # print each script run's output and its requests on stderr
 */
import { benchGit, benchLatency } from './git';
import { benchSynth } from './synth';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const runs = Number(process.env.BENCH_RUNS ?? 5);

async function main(): Promise<void> {
  if (wanted('synth')) {
    benchSynth(runs);
  }
  if (wanted('git')) {
    await benchGit(runs);
  }
  if (wanted('latency')) {
    await benchLatency(runs);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
