import type { ApplyEvent, ApplyResult } from '../api/methods.js';
import { dependentsToRestart, stopOrder } from '../plan/dependencies.js';
import { isLive } from '../supervisor/status.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';
import { settle } from './settle.js';
import { stopAll } from './stop-processes.js';

/**
 * After `tend restart db` (or `reload`), the running apps that depend on db with `restart: true` are restarted, wave by
 * wave, each once what it depends on came back up. An app whose restarted dependency failed is left running as it was.
 */
export async function restartDependents(
  registry: AppRegistry,
  restarted: readonly string[],
  failedBefore: ApplyResult['failed'],
  emit: (event: ApplyEvent) => void,
): Promise<ApplyResult['failed']> {
  const specs = [...registry.apps.values()].map((app) => app.spec);
  const waves = dependentsToRestart(new Set(restarted), specs);
  if (waves.length === 0) return [];
  const failedApps = new Set(failedBefore.map((f) => f.app));
  const failed: ApplyResult['failed'] = [];
  for (const wave of waves) {
    const touched: ManagedProcess[] = [];
    for (const name of wave) {
      const app = registry.apps.get(name);
      const causes = (app?.spec.dependsOn ?? []).filter((d) => d.restart).map((d) => d.app);
      const failedCause = causes.find((cause) => failedApps.has(cause));
      if (!app || failedCause !== undefined) {
        if (failedCause !== undefined) {
          emit({ kind: 'action', text: `${name} not restarted: ${failedCause} did not come back up` });
          failedApps.add(name);
        }
        continue;
      }
      const live = [...app.processes.values()].filter((p) => isLive(p.status));
      if (live.length === 0) continue;
      emit({ kind: 'action', text: `${name}: restarted after ${causes.join(', ')} (depends_on restart: true)` });
      for (const p of live) p.restart();
      touched.push(...live);
    }
    for (const failure of await settle(touched, emit)) {
      failed.push(failure);
      failedApps.add(failure.app);
    }
  }
  return failed;
}

/** Stops processes of several apps dependents first (`depends_on`), each group together; one group when none depends. */
export async function stopInDependencyOrder(
  registry: AppRegistry,
  processes: readonly ManagedProcess[],
): Promise<void> {
  const specs = [...registry.apps.values()].map((app) => app.spec);
  if (!specs.some((spec) => spec.dependsOn)) {
    await stopAll(processes);
    return;
  }
  const names = [...new Set(processes.map((p) => p.name))];
  for (const group of stopOrder(names, specs)) {
    const members = new Set(group);
    await stopAll(processes.filter((p) => members.has(p.name)));
  }
}
