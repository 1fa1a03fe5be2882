import { join } from 'node:path';
import { forkRequest } from '../daemon/fork-request.js';
import { signalTree } from '../runtime/kill-tree.js';
import { RUN_MARKER_VAR } from '../runtime/run-marker.js';
import { spawnInstance, type SpawnedProcess, type SpawnRequest } from '../runtime/spawn-instance.js';
import { type EarlyStart, sameRequest } from './early-plan.js';

/**
 * The instances tend-runtime spawns as soon as the file is checked, before it loads and sets up its daemon (a fifth of
 * the time to an app's first line): the same request the daemon's launcher would make (`daemon/fork-request.ts`),
 * spawned by the same `spawnInstance`. The daemon's first apply then asks for each of them, and gets this spawn
 * instead of a new one (`Daemon.prelaunched`): from there on the instance is the daemon's like any other.
 */
export class EarlyStarted {
  private readonly waiting = new Map<number, { req: SpawnRequest; spawned: Promise<SpawnedProcess> }>();

  constructor(starts: readonly EarlyStart[], home: string, distDir: string) {
    const writer = { entry: join(distDir, 'log-writer.js'), home };
    for (const start of starts) {
      const extraEnv = { TEND_HOME: home, [RUN_MARKER_VAR]: start.runMarker };
      const req = forkRequest({ spec: start.spec, instance: start.instance, id: start.id, extraEnv }, home, distDir);
      const spawned = spawnInstance(req, writer);
      // A spawn that failed is the daemon's to report, as its own would be, once it takes it over.
      spawned.catch(() => undefined);
      this.waiting.set(start.id, { req, spawned });
    }
  }

  /**
   * Resolves once every spawn is made (or has failed). The daemon's code is loaded only then: its module set-up, run
   * while a spawn waits on its files, would hold the fork back by as long.
   */
  async launched(): Promise<void> {
    await Promise.allSettled([...this.waiting.values()].map((early) => early.spawned));
  }

  /** For the daemon's launcher: the spawn already made for exactly this request (once), else null. */
  takeOver(req: SpawnRequest): Promise<SpawnedProcess> | null {
    const early = this.waiting.get(req.id);
    if (!early || !sameRequest(early.req, req)) return null;
    this.waiting.delete(req.id);
    return early.spawned;
  }

  /**
   * Ends the spawns the daemon did not take over (its first apply went otherwise than foreseen, or never came: a stop
   * during the set-up): no process of tend-runtime's may run unsupervised. Returns the names of those it ended.
   */
  async endUntaken(): Promise<string[]> {
    const ended: string[] = [];
    for (const { req, spawned } of this.waiting.values()) {
      const child = await spawned.catch(() => null);
      if (child === null) continue;
      signalTree(child.pid, 'SIGKILL');
      await child.exited;
      ended.push(`${req.spec.name}[${req.instance}]`);
    }
    this.waiting.clear();
    return ended;
  }
}
