// The 1,000-app plan inputs, shared by the vitest bench (plan.bench.ts) and the side-by-side harness (plan-timing.ts).
import type { AppSpec } from '../src/config/types.js';
import { makeDesired, makeObserved, makeSpec, observedAfterApply } from '../test/fixtures/specs.js';

export const APPS = 1000;

// Realistic specs: a dozen env vars, args, a watch block on some, several instances on others.
function specFor(index: number, port: number): AppSpec {
  const env: Record<string, string> = { NODE_ENV: 'production', PORT: String(port) };
  for (let k = 0; k < 10; k++) env[`VAR_${k}`] = `value-${index}-${k}`;
  return makeSpec(`app-${index}`, {
    instances: 1 + (index % 4),
    run: { env, args: ['--name', `app-${index}`], execMode: index % 2 === 0 ? 'fork' : 'cluster' },
    policy: index % 5 === 0 ? { watch: { paths: [`/srv/app-${index}/src`], ignore: ['**/*.log'], delayMs: 200 } } : {},
  });
}

/**
 * The desired state and four observed states: nothing running, exactly that running, 10% changed, and exactly that
 * running beside as many apps another file applied (kept by `--prune`, each named with its owner).
 */
export function planInputs() {
  const desired = makeDesired(Array.from({ length: APPS }, (_, i) => specFor(i, 3000 + i)));
  // Built separately so no spec object is shared between the two sides, as after a real round trip.
  const identical = observedAfterApply(makeDesired(Array.from({ length: APPS }, (_, i) => specFor(i, 3000 + i))));
  const tenPercentChanged = Array.from({ length: APPS }, (_, i) =>
    makeObserved(specFor(i, i % 10 === 0 ? 4000 + i : 3000 + i)),
  );
  const theirs = { key: 'file:/srv/other-team.yml', at: 0, user: 'bench' };
  const besideOthers = [
    ...identical,
    ...Array.from({ length: APPS }, (_, i) =>
      makeObserved(specFor(APPS + i, 6000 + i), 'online', 10_000 + i * 4, theirs),
    ),
  ];
  return { desired, identical, tenPercentChanged, besideOthers };
}
