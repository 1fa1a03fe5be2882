import type { AppSpec } from '../config/types.js';
import { TendError } from '../core/errors.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';
import { watchProcess } from './process-watch.js';
import { stopAll } from './stop-processes.js';

/**
 * Zero-downtime reload of a cluster app, one instance at a time: a new worker is started beside the old one,
 * and only once it is ready (listening, or `ready` with wait_ready, within listen_timeout) is the old one drained
 * and stopped. If a new worker is not ready in time, the reload stops there and the old instances keep serving.
 * The app's stored spec is the caller's to set once the reload completed.
 */
export async function rollingReload(
  registry: AppRegistry,
  name: string,
  spec: AppSpec,
  instances: number[],
  report: (text: string) => void,
): Promise<ManagedProcess[]> {
  const app = registry.apps.get(name);
  if (!app) return [];
  const reloaded: ManagedProcess[] = [];
  for (const index of instances) {
    const old = app.processes.get(index);
    if (!old) continue;
    if (old.status !== 'online' || old.spec.run.execMode !== 'cluster' || spec.run.execMode !== 'cluster') {
      // Nothing is serving from this instance (or it is not a cluster worker): a restart loses nothing more.
      old.updateSpec(spec);
      old.restart();
      reloaded.push(old);
      continue;
    }
    const fresh = registry.create(spec, index, {
      autostart: true,
      id: old.id,
      carry: { restarts: old.context.restarts + 1, createdAt: old.context.createdAt },
    });
    const failure = await waitUntilReady(fresh, spec.policy.listenTimeoutMs);
    if (failure) {
      await stopAndDispose(fresh);
      throw new TendError(
        'APPLY_FAILED',
        `reload of ${name} stopped at instance ${index}: the new worker ${failure}; the old instances keep serving`,
      );
    }
    registry.replace(fresh);
    report(`${name}[${index}] reloaded: pid ${old.pid} → ${fresh.pid}`);
    await stopAndDispose(old);
    reloaded.push(fresh);
  }
  return reloaded;
}

/** Resolves with null once the process said it is ready, or with why it did not: it exited, errored, or the time ran out. */
function waitUntilReady(p: ManagedProcess, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  return watchProcess<string | null>(p, (now) => {
    if (p.readyAt !== null && p.status === 'online') return { done: null };
    if (p.crashes > 0 || p.status === 'errored' || p.status === 'waiting-restart') {
      const ctx = p.context;
      return {
        done:
          ctx.errorMessage ??
          (ctx.lastSignal ? `was killed by ${ctx.lastSignal}` : `exited with code ${ctx.lastExitCode}`),
      };
    }
    if (now >= deadline) return { done: `was not ready within listen_timeout (${timeoutMs} ms)` };
    return { wakeAt: deadline };
  });
}

/** Drains and stops a process out of the registry's table, waits until it is gone (or given up on), and ends its machine. */
async function stopAndDispose(p: ManagedProcess): Promise<void> {
  await stopAll([p]);
  p.dispose();
}
