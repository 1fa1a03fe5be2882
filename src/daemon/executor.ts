import type { Action } from '../plan/types.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';
import { rollingReload } from './rolling-reload.js';
import { stopAll } from './stop-processes.js';

/** Carries out a plan's actions in order; returns the processes that were started or restarted, to watch them come up. */
export async function executeActions(
  registry: AppRegistry,
  actions: Action[],
  report: (text: string) => void,
): Promise<ManagedProcess[]> {
  const started: ManagedProcess[] = [];
  for (const action of actions) {
    started.push(...(await execute(registry, action, report)));
    // Every action that carries a spec makes it the app's stored spec once it is done (see `Action`); a delete
    // carries none and leaves nothing, and a reload that stopped part-way threw before this line.
    if ('spec' in action) registry.setSpec(action.app, action.spec);
  }
  return started;
}

/** One action on the processes; returns those it started or restarted. */
async function execute(
  registry: AppRegistry,
  action: Action,
  report: (text: string) => void,
): Promise<ManagedProcess[]> {
  const processes = registry.apps.get(action.app)?.processes;
  switch (action.type) {
    case 'start':
    case 'scale-up':
      return action.instances.map((index) => registry.add(action.spec, index, { autostart: true }));
    case 'register':
      for (let index = 0; index < action.spec.instances; index++)
        registry.add(action.spec, index, { autostart: false });
      return [];
    case 'resume':
      return pick(processes, action.instances).map((p) => {
        p.updateSpec(action.spec);
        p.start();
        return p;
      });
    case 'restart':
      return pick(processes, action.instances).map((p) => {
        p.updateSpec(action.spec);
        p.restart();
        return p;
      });
    case 'reload':
      return rollingReload(registry, action.app, action.spec, action.instances, report);
    case 'update-policy':
      for (const p of processes?.values() ?? []) p.updateSpec(action.spec);
      return [];
    case 'stop':
      await stopAll(pick(processes, action.instances));
      return [];
    case 'scale-down':
    case 'delete': {
      const victims = pick(processes, action.instances);
      await stopAll(victims);
      // The registry forgets an app whose last process goes; the plan registers one it must keep again.
      for (const p of victims) registry.remove(p);
      return [];
    }
  }
}

function pick(processes: Map<number, ManagedProcess> | undefined, instances: number[]): ManagedProcess[] {
  if (!processes) return [];
  return instances.map((i) => processes.get(i)).filter((p): p is ManagedProcess => p !== undefined);
}
