// Times planApply for 1,000 apps in a fresh process and prints the median per call (ms) of each case as JSON.
// The harness bundles this file with esbuild (no tsx) and runs it once per repetition.
import { performance } from 'node:perf_hooks';
import { planApply } from '../src/plan/plan-apply.js';
import { planInputs } from './plan-fixture.js';

const { desired, identical, tenPercentChanged, besideOthers } = planInputs();
const iterations = Number(process.argv[2] ?? 20);

function medianMs(fn: () => unknown): number {
  // The first calls pay for JIT compilation; a long-lived daemon does not.
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const result = {
  empty: medianMs(() => planApply(desired, [])),
  identical: medianMs(() => planApply(desired, identical)),
  changed: medianMs(() => planApply(desired, tenPercentChanged)),
  owned: medianMs(() => planApply(desired, besideOthers, { prune: true })),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
