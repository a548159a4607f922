/**
 * `npm run bench`: timing and size benchmarks, each against a baseline measured in the
 * same run. Not a test: nothing fails on timings.
 *
 *   npm run bench               # everything
 *   npm run bench -- synth      # synthesis only
 */
import { benchSynth } from './synth';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const runs = Number(process.env.BENCH_RUNS ?? 5);

if (wanted('synth')) {
  benchSynth(runs);
}
