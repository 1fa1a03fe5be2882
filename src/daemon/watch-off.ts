import type { AppSpec } from '../config/types.js';
import { isLive } from '../supervisor/status.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';

/**
 * PM2's `stop` turns watching off (pm2.md §3.9): once every instance of a watched app is stopped, its stored spec
 * watches nothing, so a later `tend start` (or restart) keeps it off unless `--watch` asks again. Returns the specs
 * changed, for the daemon to close their watchers.
 */
export function turnWatchOffForStopped(registry: AppRegistry, stopped: readonly ManagedProcess[]): AppSpec[] {
  const changed: AppSpec[] = [];
  for (const name of new Set(stopped.map((p) => p.name))) {
    const app = registry.apps.get(name);
    if (!app || app.spec.policy.watch === null) continue;
    if ([...app.processes.values()].some((p) => isLive(p.status))) continue;
    const spec: AppSpec = { ...app.spec, policy: { ...app.spec.policy, watch: null } };
    registry.setSpec(name, spec);
    for (const p of app.processes.values()) p.updateSpec(spec);
    changed.push(spec);
  }
  return changed;
}
