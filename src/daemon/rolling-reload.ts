import type { AppSpec } from '../config/types.js';
import { defaults } from '../core/defaults.js';
import { TendError } from '../core/errors.js';
import type { AppRegistry } from './app-registry.js';
import type { ManagedProcess } from './managed-process.js';
import { watchProcess } from './process-watch.js';
import { stopAll } from './stop-processes.js';

/**
 * Whether an instance can be replaced ready-first: a cluster worker (its primary shares the port), or a fork instance
 * on the same held sockets (`listen`) as the new spec, which this daemon holds (one that adopted the app does not).
 */
function rolls(registry: AppRegistry, old: AppSpec, spec: AppSpec): boolean {
  if (old.run.execMode === 'cluster' && spec.run.execMode === 'cluster') return true;
  if (old.run.execMode !== 'fork' || spec.run.execMode !== 'fork' || !spec.run.listen || !old.run.listen) return false;
  const same = JSON.stringify(old.run.listen) === JSON.stringify(spec.run.listen);
  return same && (registry.holdsSockets?.(spec) ?? false);
}

/**
 * Zero-downtime reload of a cluster app, or a fork app on held sockets, one instance at a time: a new instance is
 * started beside the old one, and only once it is ready (listening or online for the settle window, or `ready` with
 * wait_ready, within listen_timeout) is the old one drained and stopped. If a new instance is not ready in time, the
 * reload stops there and the old instances keep serving. The app's stored spec is the caller's to set once the reload
 * completed.
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
  if (spec.run.listen && spec.run.execMode === 'fork' && !(registry.holdsSockets?.(spec) ?? false))
    report(
      `${name}: this daemon does not hold its sockets yet (it was started after ${name}), so they are bound again: a restart this time, reloads after it drop nothing`,
    );
  for (const index of instances) {
    const old = app.processes.get(index);
    if (!old) continue;
    if (old.status !== 'online' || !rolls(registry, old.spec, spec)) {
      // Nothing is serving from this instance (or nothing can serve beside it): a restart loses nothing more.
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
        `reload of ${name} stopped at instance ${index}: the new ${spec.run.execMode === 'cluster' ? 'worker' : 'instance'} ${failure}; the old instances keep serving`,
      );
    }
    registry.replace(fresh);
    report(`${name}[${index}] reloaded: pid ${old.pid} → ${fresh.pid}`);
    await stopAndDispose(old);
    reloaded.push(fresh);
  }
  return reloaded;
}

/**
 * Resolves with null once the process is ready, or with why it is not: it exited, errored, or the time ran out. Ready is
 * what it says (wait_ready, a `ready:` check, a cluster worker's listen), or, for a fork app that says nothing, online
 * for the settle window (its held socket queues connections until it accepts them).
 */
function waitUntilReady(p: ManagedProcess, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  const policy = p.spec.policy;
  const saysReady = p.spec.run.execMode === 'cluster' || policy.waitReady || policy.ready !== undefined;
  const settleMs = Math.min(policy.minUptimeMs, defaults.applySettleMs);
  return watchProcess<string | null>(p, (now) => {
    if (p.readyAt !== null && p.status === 'online') return { done: null };
    const upAt =
      !saysReady && p.status === 'online' && p.context.onlineSince !== null ? p.context.onlineSince + settleMs : null;
    if (upAt !== null && now >= upAt) return { done: null };
    if (p.crashes > 0 || p.status === 'errored' || p.status === 'waiting-restart') {
      const ctx = p.context;
      return {
        done:
          ctx.errorMessage ??
          (ctx.lastSignal ? `was killed by ${ctx.lastSignal}` : `exited with code ${ctx.lastExitCode}`),
      };
    }
    if (now >= deadline) return { done: `was not ready within listen_timeout (${timeoutMs} ms)` };
    return { wakeAt: upAt === null ? deadline : Math.min(upAt, deadline) };
  });
}

/** Drains and stops a process out of the registry's table, waits until it is gone (or given up on), and ends its machine. */
async function stopAndDispose(p: ManagedProcess): Promise<void> {
  await stopAll([p]);
  p.dispose();
}
