import type { ApplyEvent, ResurrectResult } from '../api/methods.js';
import { plural } from '../core/plural.js';
import type { Action, Plan } from '../plan/types.js';
import { isLive, type ProcessStatus } from '../supervisor/status.js';
import type { AppRegistry } from './app-registry.js';
import { executeActions } from './executor.js';
import { settle } from './settle.js';
import { readDump, type StoredApp, type StoredState } from './state-store.js';

/**
 * Whether a process saved with this status is started again: one that ran (or was on its way up, down or between
 * restarts) comes back, and one that had given up (`errored`) is tried again; one the user stopped stays stopped.
 */
export function startsAgain(saved: ProcessStatus): boolean {
  return isLive(saved) || saved === 'errored';
}

/** The saved status of each instance of an app, by instance index; an instance the dump does not list counts as stopped. */
function savedStatuses(app: StoredApp): ProcessStatus[] {
  const statuses: ProcessStatus[] = Array.from({ length: app.spec.instances }, () => 'stopped');
  for (const p of app.processes) if (p.instance < statuses.length) statuses[p.instance] = p.status;
  return statuses;
}

/**
 * What `resurrect` does for a dump, as plan actions the executor carries out: each app that is not managed now comes
 * back with its saved spec, every instance in its saved status (started, or registered stopped). Apps managed now are
 * left as they are. Pure: the dump and the names managed now in, actions out.
 */
export function resurrectActions(dump: StoredState, managed: ReadonlySet<string>): Action[] {
  const actions: Action[] = [];
  for (const app of dump.apps) {
    const { spec } = app;
    if (managed.has(spec.name)) continue;
    const statuses = savedStatuses(app);
    const toStart = statuses.flatMap((status, instance) => (startsAgain(status) ? [instance] : []));
    if (toStart.length === statuses.length && toStart.length > 0) {
      actions.push({ type: 'start', app: spec.name, spec, instances: toStart, reason: 'saved running' });
      continue;
    }
    // Registered first, all stopped, so that a stopped instance is never started, not even for a moment.
    actions.push({ type: 'register', app: spec.name, spec, reason: 'saved stopped' });
    if (toStart.length > 0)
      actions.push({
        type: 'resume',
        app: spec.name,
        spec,
        instances: toStart,
        reason: `saved running; ${plural(statuses.length - toStart.length, 'instance')} saved stopped`,
      });
  }
  return actions;
}

export interface ResurrectDeps {
  registry: AppRegistry;
  dumpFile: string;
  emit: (event: ApplyEvent) => void;
  /** Called once the actions are carried out, before the wait: watchers and the state file follow the new apps. */
  carriedOut: (actions: Action[]) => void;
}

/**
 * `tend resurrect`: the apps of the last `tend save` that are not managed now, each instance back in its saved
 * status; then waits until those started are up or have failed, and says, per app of the dump, what each instance
 * was when it was saved and is now.
 */
export async function resurrect(deps: ResurrectDeps): Promise<ResurrectResult> {
  const { state, warnings } = readDump(deps.dumpFile);
  const managed = new Set(deps.registry.apps.keys());
  const actions = resurrectActions(state, managed);
  const plan: Plan = {
    actions,
    unchanged: state.apps.filter((a) => managed.has(a.spec.name)).map((a) => a.spec.name),
    orphans: [],
  };
  deps.emit({ kind: 'plan', plan });
  const started = await executeActions(deps.registry, actions, (text) => deps.emit({ kind: 'action', text }));
  for (const app of state.apps) if (!managed.has(app.spec.name)) deps.registry.setOwner([app.spec.name], app.owner);
  deps.carriedOut(actions);
  const failed = await settle(started, deps.emit);
  const apps = state.apps.map((app) => {
    const processes = deps.registry.apps.get(app.spec.name)?.processes;
    const saved = savedStatuses(app);
    const now = saved.map((_, instance): ProcessStatus | null => processes?.get(instance)?.status ?? null);
    return {
      name: app.spec.name,
      saved,
      now,
      resurrected: !managed.has(app.spec.name),
      notBack: saved.flatMap((status, i) => (isLive(status) && now[i] !== 'online' ? [i] : [])),
    };
  });
  return { plan, failed, warnings, apps };
}
