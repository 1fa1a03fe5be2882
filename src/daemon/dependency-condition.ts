import type { AppSpec, DependencyCondition } from '../config/types.js';
import type { ProcessStatus } from '../supervisor/status.js';
import type { ManagedProcess } from './managed-process.js';
import { watchProcess } from './process-watch.js';

/** What the condition of a dependency looks at in one of its instances. */
export interface DependencyInstance {
  status: ProcessStatus;
  /** When the instance became ready (its `ready:` check, `ready` with wait_ready, a cluster worker's listen); null if not. */
  readyAt: number | null;
  /** How its `health:` check stands; 'unknown' until it has run (and for an app without one). */
  liveness: 'unknown' | 'passing' | 'failing';
  spec: AppSpec;
}

/**
 * Whether one instance of a dependency meets `depends_on`'s condition now: the one place that says what `started`,
 * `ready` and `healthy` mean. `started`: online. `ready`: online, and ready for an app that signals it (wait_ready, a
 * `ready:` check, or cluster mode, whose workers are ready once they listen); an app that cannot signal is ready once
 * online. `healthy`: ready, and for an app with a `health:` check, that check has passed since and is not failing
 * (docker compose's service_healthy); an app without one is healthy once ready.
 */
export function dependencyMet(p: DependencyInstance, condition: DependencyCondition): boolean {
  if (p.status !== 'online') return false;
  if (condition === 'started') return true;
  const policy = p.spec.policy;
  const signalsReady = policy.waitReady || policy.ready !== undefined || p.spec.run.execMode === 'cluster';
  const ready = !signalsReady || p.readyAt !== null;
  if (condition === 'ready' || policy.health === undefined) return ready;
  return ready && p.liveness === 'passing';
}

/** Time past listen_timeout a dependency's instance gets to meet its condition before its dependents give up (ms). */
const DEPENDENCY_SLACK_MS = 5000;

/**
 * Waits, on the machines' notifications, until every instance of a dependency meets the condition; resolves with null,
 * or with why not (said after the app's name: "is errored", "was not ready within 35000 ms").
 */
export async function waitForDependency(
  processes: readonly ManagedProcess[],
  condition: DependencyCondition,
): Promise<string | null> {
  if (processes.length === 0) return 'is not running';
  const reasons = await Promise.all(processes.map((p) => waitForOne(p, condition)));
  return reasons.find((reason) => reason !== null) ?? null;
}

function waitForOne(p: ManagedProcess, condition: DependencyCondition): Promise<string | null> {
  const withinMs = p.spec.policy.listenTimeoutMs + DEPENDENCY_SLACK_MS;
  const deadline = Date.now() + withinMs;
  const crashesBefore = p.crashes;
  return watchProcess<string | null>(p, (now) => {
    if (dependencyMet(p, condition)) return { done: null };
    const ctx = p.context;
    if (p.status === 'errored') return { done: `is errored${ctx.errorMessage ? ` (${ctx.errorMessage})` : ''}` };
    if (p.status === 'stopped') return { done: 'is stopped' };
    if (p.crashes > crashesBefore)
      return { done: ctx.lastSignal ? `was killed by ${ctx.lastSignal}` : `exited with code ${ctx.lastExitCode}` };
    if (now >= deadline)
      return { done: `was not ${condition === 'started' ? 'online' : condition} within ${withinMs} ms` };
    return { wakeAt: deadline };
  });
}
