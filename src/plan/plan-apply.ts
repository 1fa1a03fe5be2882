import type { AppSpec, DesiredState } from '../config/types.js';
import { TendError } from '../core/errors.js';
import { ACTION_GROUPS, ACTION_ORDER } from './order.js';
import { planApp } from './plan-app.js';
import { ownerKeyOf, ownershipConflicts, ownershipError } from './ownership.js';
import {
  dependencyGraph,
  dependencyLevels,
  dependentRestarts,
  orderByDependencies,
  wavesOf,
  withDependencies,
} from './dependencies.js';
import type { Action, ActionType, ObservedApp, Plan, PlanOptions } from './types.js';

// --only with a name neither side knows is a typo; planning nothing would hide it.
function checkOnly(only: ReadonlySet<string>, desired: readonly AppSpec[], observed: readonly ObservedApp[]): void {
  const known = new Set([...desired.map((app) => app.name), ...observed.map((app) => app.name)]);
  const unknown = [...only].filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  const list = unknown.map((name) => `"${name}"`).join(', ');
  throw new TendError(
    'UNKNOWN_APP',
    `--only names ${unknown.length === 1 ? 'an app' : 'apps'} neither in the file nor running: ${list}`,
  );
}

/**
 * The whole of `tend apply`'s decision, pure: what to do, in which order, and why, to turn what
 * runs into what the file asks for. Same input, same plan; nothing here touches a process.
 */
export function planApply(desired: DesiredState, observed: readonly ObservedApp[], options: PlanOptions = {}): Plan {
  const only = options.only ? new Set(options.only) : null;
  if (only) checkOnly(only, desired.apps, observed);
  // `--only api` also starts what api depends on, when it is not running (`--no-deps`: not).
  const scope = only && !options.noDeps ? withDependencies(only, desired.apps) : only;
  const wanted = scope ? desired.apps.filter((app) => scope.has(app.name)) : desired.apps;
  const running = scope ? observed.filter((app) => scope.has(app.name)) : observed;

  const groups: Action[][] = Array.from({ length: ACTION_GROUPS }, () => []);
  const unchanged: string[] = [];
  const orphans: string[] = [];
  const orphanOwners: Record<string, string | null> = {};
  const wantedNames = new Set(wanted.map((app) => app.name));
  const runningByName = new Map(running.map((app) => [app.name, app]));
  const owner = desired.owner?.key ?? ownerKeyOf(desired);
  const conflicts = ownershipConflicts(owner, wantedNames, running);
  if (conflicts.length > 0 && !options.takeOver) throw ownershipError(owner, conflicts);

  for (const app of running) {
    if (wantedNames.has(app.name)) continue;
    // Prune is scoped to the owner: another file's apps, the command line's and those from before owners stay.
    if (options.prune && app.owner?.key === owner)
      groups[ACTION_ORDER.delete]!.push({
        type: 'delete',
        app: app.name,
        instances: app.instances.map((i) => i.instance).sort((a, b) => a - b),
        reason: 'not in the file',
      });
    else {
      orphans.push(app.name);
      orphanOwners[app.name] = app.owner?.key ?? null;
    }
  }
  for (const spec of wanted) {
    let actions = planApp(spec, runningByName.get(spec.name), options.restart);
    if (only && !only.has(spec.name)) actions = actions.filter((action) => BRINGS_UP.has(action.type));
    if (actions.length === 0) unchanged.push(spec.name);
    for (const action of actions) groups[ACTION_ORDER[action.type]]!.push(action);
  }
  const actions = groups.flat();
  const plan: Plan = { actions, unchanged, orphans, owner, orphanOwners, claims: [...wantedNames] };
  if (!wanted.some((spec) => spec.dependsOn) && !running.some((app) => app.spec.dependsOn)) return plan;
  return inDependencyOrder(plan, wanted, running, runningByName);
}

/** What `--only` does to an app it brings along as a dependency: start it if it is not running, nothing more. */
const BRINGS_UP: ReadonlySet<ActionType> = new Set(['start', 'resume', 'scale-up']);

/**
 * A plan whose apps have `depends_on`: dependents restarted after a dependency with `restart: true`, actions in waves
 * (stops dependents first, starts dependencies first), and the waves themselves for the executor and for `tend plan`.
 */
function inDependencyOrder(
  plan: Plan,
  wanted: readonly AppSpec[],
  running: readonly ObservedApp[],
  runningByName: ReadonlyMap<string, ObservedApp>,
): Plan {
  const wantedNames = new Set(wanted.map((spec) => spec.name));
  // An app being deleted is stopped in the order its stored spec gives.
  const graph = dependencyGraph([
    ...wanted,
    ...running.filter((app) => !wantedNames.has(app.name)).map((app) => app.spec),
  ]);
  const levels = dependencyLevels(graph);
  const added = dependentRestarts(plan.actions, wanted, runningByName, levels);
  const restartedNow = new Set(added.map((action) => action.app));
  return {
    ...plan,
    actions: orderByDependencies([...plan.actions, ...added], levels),
    unchanged: plan.unchanged.filter((name) => !restartedNow.has(name)),
    waves: wavesOf(
      wanted.map((spec) => spec.name),
      levels,
    ),
  };
}
