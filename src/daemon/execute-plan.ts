import type { ApplyEvent, ApplyResult } from '../api/methods.js';
import type { Dependency } from '../config/types.js';
import { isTeardown } from '../plan/dependencies.js';
import type { Action, ActionType, Plan } from '../plan/types.js';
import type { AppRegistry } from './app-registry.js';
import { waitForDependency } from './dependency-condition.js';
import { executeActions } from './executor.js';
import { type SettleOptions, settle } from './settle.js';

/** What an apply did besides its plan: instances that failed, and apps not started because a dependency is not up. */
export interface PlanOutcome {
  failed: ApplyResult['failed'];
  notStarted: Array<{ app: string; reason: string }>;
}

/** Actions that bring processes up, and so wait for the app's dependencies; storing a spec waits for nothing. */
const STARTS: ReadonlySet<ActionType> = new Set(['start', 'resume', 'scale-up', 'restart', 'reload']);

/**
 * Carries a plan out and waits until what it started is up or has failed. A plan without waves (no `depends_on`) runs
 * its actions in order and settles them together, as always. With waves: what stops processes goes first (in the
 * plan's order, dependents first); then each wave starts once the dependencies of its apps meet their condition, and
 * an app whose dependency failed (or was itself not started) is not started, with the reason. `carriedOut` is told
 * of each batch of actions done, before their instances are waited for.
 */
export async function executePlan(
  registry: AppRegistry,
  plan: Plan,
  emit: (event: ApplyEvent) => void,
  carriedOut: (actions: readonly Action[]) => void,
  settleOptions: SettleOptions = {},
): Promise<PlanOutcome> {
  const report = (text: string): void => emit({ kind: 'action', text });
  if (!plan.waves) {
    const started = await executeActions(registry, plan.actions, report);
    carriedOut(plan.actions);
    return { failed: await settle(started, emit, settleOptions), notStarted: [] };
  }
  const teardown = plan.actions.filter(isTeardown);
  await executeActions(registry, teardown, report);
  carriedOut(teardown);

  const inApply = new Set(plan.waves.flat());
  const outcome: PlanOutcome = { failed: [], notStarted: [] };
  // App → why it is not up, said after its name: "failed (exited with code 1 while starting)", "was not started".
  const down = new Map<string, string>();
  const whyNotUp = async (dependency: Dependency): Promise<string | null> => {
    if (!inApply.has(dependency.app)) return null;
    const earlier = down.get(dependency.app);
    if (earlier !== undefined) return `${dependency.app} ${earlier}`;
    const processes = [...(registry.apps.get(dependency.app)?.processes.values() ?? [])];
    const why = await waitForDependency(processes, dependency.condition);
    return why === null ? null : `${dependency.app} ${why}`;
  };

  for (const wave of plan.waves) {
    const inWave = new Set(wave);
    const actions = plan.actions.filter((action) => !isTeardown(action) && inWave.has(action.app));
    const blocked = new Set<string>();
    await Promise.all(
      wave.map(async (app) => {
        const starts = actions.filter((action) => action.app === app && STARTS.has(action.type));
        const dependsOn = starts.flatMap((action) => ('spec' in action ? (action.spec.dependsOn ?? []) : []));
        for (const dependency of new Set(dependsOn)) {
          const why = await whyNotUp(dependency);
          if (why === null) continue;
          blocked.add(app);
          down.set(app, `was not started (${why})`);
          outcome.notStarted.push({ app, reason: `${app} not started: ${why}` });
          report(`${app} not started: ${why}`);
          return;
        }
      }),
    );
    const runnable = actions.filter((action) => !(blocked.has(action.app) && STARTS.has(action.type)));
    const started = await executeActions(registry, runnable, report);
    carriedOut(runnable);
    for (const failure of await settle(started, emit, settleOptions)) {
      outcome.failed.push(failure);
      if (!down.has(failure.app)) down.set(failure.app, `failed (${failure.reason})`);
    }
  }
  return outcome;
}
