import type { Action } from '../plan/types.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';
import { rollingReload } from './rolling-reload.js';

/** Longest wait for an instance to stop before the executor moves on (kill_timeout plus SIGKILL's own time). */
const STOP_GRACE_MS = 2000;

/** Carries out a plan's actions in order; returns the processes that were started or restarted, to watch them come up. */
export async function executeActions(
  registry: AppRegistry,
  actions: Action[],
  report: (text: string) => void,
): Promise<ManagedProcess[]> {
  const started: ManagedProcess[] = [];
  for (const action of actions) {
    const app = registry.apps.get(action.app);
    switch (action.type) {
      case 'start':
      case 'scale-up':
        for (const index of action.instances) started.push(registry.add(action.spec, index, { autostart: true }));
        if (app) app.spec = action.spec;
        break;
      case 'register':
        for (let index = 0; index < action.spec.instances; index++)
          registry.add(action.spec, index, { autostart: false });
        break;
      case 'resume':
        for (const p of pick(app?.processes, action.instances)) {
          p.updateSpec(action.spec);
          p.start();
          started.push(p);
        }
        if (app) app.spec = action.spec;
        break;
      case 'reload':
        started.push(...(await rollingReload(registry, action.app, action.spec, action.instances, report)));
        break;
      case 'restart':
        if (app) app.spec = action.spec;
        for (const p of pick(app?.processes, action.instances)) {
          p.updateSpec(action.spec);
          p.restart();
          started.push(p);
        }
        break;
      case 'update-policy':
        if (app) {
          app.spec = action.spec;
          for (const p of app.processes.values()) p.updateSpec(action.spec);
        }
        break;
      case 'stop':
        if (app) app.spec = action.spec;
        await stopAll(pick(app?.processes, action.instances));
        break;
      case 'scale-down':
      case 'delete': {
        const victims = pick(app?.processes, action.instances);
        await stopAll(victims);
        for (const p of victims) registry.remove(p);
        // The stored spec follows the new count, or the next plan would see `instances` change again.
        const left = registry.apps.get(action.app);
        if (action.type === 'scale-down' && left) left.spec = action.spec;
        break;
      }
    }
  }
  return started;
}

/** Stops processes and waits until each is stopped (or errored), all at once. */
export async function stopAll(processes: readonly ManagedProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.gracefulStop()));
  await Promise.all(
    processes.map((p) => p.waitFor(['stopped', 'errored'], p.spec.policy.killTimeoutMs + STOP_GRACE_MS)),
  );
}

function pick(processes: Map<number, ManagedProcess> | undefined, instances: number[]): ManagedProcess[] {
  if (!processes) return [];
  return instances.map((i) => processes.get(i)).filter((p): p is ManagedProcess => p !== undefined);
}
