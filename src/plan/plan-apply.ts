import type { AppSpec, DesiredState } from '../config/types.js';
import { TendError } from '../core/errors.js';
import { ACTION_GROUPS, ACTION_ORDER } from './order.js';
import { planApp } from './plan-app.js';
import type { Action, ObservedApp, Plan, PlanOptions } from './types.js';

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
  const wanted = only ? desired.apps.filter((app) => only.has(app.name)) : desired.apps;
  const running = only ? observed.filter((app) => only.has(app.name)) : observed;

  const groups: Action[][] = Array.from({ length: ACTION_GROUPS }, () => []);
  const unchanged: string[] = [];
  const orphans: string[] = [];
  const wantedNames = new Set(wanted.map((app) => app.name));
  const runningByName = new Map(running.map((app) => [app.name, app]));

  for (const app of running) {
    if (wantedNames.has(app.name)) continue;
    if (options.prune)
      groups[ACTION_ORDER.delete]!.push({
        type: 'delete',
        app: app.name,
        instances: app.instances.map((i) => i.instance).sort((a, b) => a - b),
        reason: 'not in the file',
      });
    else orphans.push(app.name);
  }
  for (const spec of wanted) {
    const actions = planApp(spec, runningByName.get(spec.name), options.restart);
    if (actions.length === 0) unchanged.push(spec.name);
    for (const action of actions) groups[ACTION_ORDER[action.type]]!.push(action);
  }
  return { actions: groups.flat(), unchanged, orphans };
}
