import { defaults } from '../core/defaults.js';
import { readLastLines } from '../runtime/log-files.js';
import type { ApplyEvent, ApplyResult } from '../api/methods.js';
import type { ManagedProcess } from './managed-process.js';
import { type Look, watchProcess } from './process-watch.js';

/** Time past listen_timeout and the settle window an instance gets to come up before apply calls it failed (ms). */
const SETTLE_SLACK_MS = 5000;

/**
 * When an instance of this settle last came online. Forks go a few per turn of the event loop (SpawnPacer), so the
 * 500th of an apply may fork 10 s after the first on a busy machine: an instance still waiting for its fork fails only
 * once the whole apply has made no progress for its time.
 */
interface Progress {
  at: number;
}

type Outcome = { ok: true } | { ok: false; reason: string };

export interface SettleOptions {
  /**
   * `apply --atomic`: an instance of an app that signals readiness (wait_ready, a `ready:` check, a cluster worker's
   * listen) is up only once ready within listen_timeout; without it, PM2's rule goes on once the time is out.
   */
  strictReady?: boolean;
}

/**
 * Waits until each started instance is up (online for a short settle window, or ready with wait_ready)
 * or has failed (exited, errored, or never came up), so `apply` can end with a true answer.
 */
export async function settle(
  processes: ManagedProcess[],
  emit: (event: ApplyEvent) => void,
  options: SettleOptions = {},
): Promise<ApplyResult['failed']> {
  const progress: Progress = { at: Date.now() };
  const outcomes = await Promise.all(processes.map((p) => settleOne(p, emit, options, progress)));
  const failed: ApplyResult['failed'] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.ok) continue;
    const p = processes[i]!;
    const errLog = p.logPaths.err;
    const lastLines = errLog ? await readLastLines(errLog, 10).catch(() => []) : [];
    failed.push({ app: p.name, instance: p.instance, id: p.id, reason: outcome.reason, errLog, lastLines });
  }
  return failed;
}

/** Watches one instance from its machine's notifications until it is up or has failed; one timer for the deadline. */
function settleOne(
  p: ManagedProcess,
  emit: (event: ApplyEvent) => void,
  options: SettleOptions,
  progress: Progress,
): Promise<Outcome> {
  const crashesBefore = p.crashes;
  const policy = p.spec.policy;
  const mustBeReady =
    options.strictReady === true &&
    (policy.waitReady || policy.ready !== undefined || p.spec.run.execMode === 'cluster');
  const readyBy = Date.now() + policy.listenTimeoutMs;
  const settleMs = Math.min(policy.minUptimeMs, defaults.applySettleMs);
  const withinMs = policy.listenTimeoutMs + settleMs + SETTLE_SLACK_MS;
  const deadline = (): number => progress.at + withinMs;
  let lastStatus = '';
  const isJob = policy.cronRestart !== undefined && !policy.autorestart;
  return watchProcess<Outcome>(p, (now) => {
    const status = p.status;
    if (status !== lastStatus) {
      if (lastStatus === 'launching' && status === 'online') progress.at = Math.max(progress.at, now);
      lastStatus = status;
      emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status, pid: p.pid });
    }
    const ctx = p.context;
    // A scheduled job (cron_restart with autorestart off) that ran to a clean end has done what it is for.
    if (isJob && status === 'stopped' && ctx.lastExitCode === 0 && ctx.lastSignal === null)
      return { done: { ok: true } };
    if (p.crashes > crashesBefore) {
      const how = ctx.lastSignal ? `was killed by ${ctx.lastSignal}` : `exited with code ${ctx.lastExitCode}`;
      return { done: fail(p, emit, `${how} while starting`) };
    }
    if (status === 'errored') return { done: fail(p, emit, ctx.errorMessage ?? 'errored') };
    if (status === 'stopped') return { done: fail(p, emit, 'stopped while starting') };
    if (mustBeReady && status === 'online') {
      if (p.readyAt !== null) {
        emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status: 'ready', pid: p.pid });
        return { done: { ok: true } };
      }
      if (now >= readyBy)
        return { done: fail(p, emit, `was not ready within listen_timeout (${policy.listenTimeoutMs} ms)`) };
      return { wakeAt: readyBy };
    }
    if (policy.ready !== undefined && status === 'online' && ctx.onlineSince !== null)
      return settleChecked(p, emit, now);
    // Up once it has stayed online for the settle window; the machine says nothing when that passes, the timer does.
    const upAt = status === 'online' && ctx.onlineSince !== null ? ctx.onlineSince + settleMs : null;
    if (upAt !== null && now >= upAt) {
      const moreMs = starvedMs(p, now - (ctx.onlineSince ?? now), settleMs, policy.listenTimeoutMs);
      if (moreMs > 0) return { wakeAt: now + moreMs };
      emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status: 'ready', pid: p.pid });
      return { done: { ok: true } };
    }
    if (now >= deadline()) return { done: fail(p, emit, `did not come online within ${withinMs} ms`) };
    return { wakeAt: upAt === null ? deadline() : Math.min(upAt, deadline()) };
  });
}

/**
 * How much longer the settle window must run because the process spent part of it waiting for a CPU: on a busy
 * machine a Node app that exits at once can still be booting 200 ms after its spawn, and would be called up. The window
 * counts the time the process could run (wall time less its run-queue wait), and listen_timeout bounds the whole wait.
 */
function starvedMs(p: ManagedProcess, onlineMs: number, settleMs: number, listenTimeoutMs: number): number {
  if (onlineMs >= Math.max(listenTimeoutMs, settleMs)) return 0;
  const waitedMs = p.runQueueWaitMs();
  if (waitedMs === null) return 0;
  const short = settleMs - (onlineMs - waitedMs);
  return short > 0 ? Math.min(Math.ceil(short), Math.max(listenTimeoutMs, settleMs) - onlineMs) : 0;
}

/**
 * An instance with a `ready:` check is up once the check passed. Past listen_timeout without that, apply goes on as it
 * does for wait_ready when `ready` never comes (PM2's rule): the instance is online and counted up, said "not ready",
 * and stays "starting" in `tend ls` while its check goes on.
 */
function settleChecked(p: ManagedProcess, emit: (event: ApplyEvent) => void, now: number): Look<Outcome> {
  const base = { kind: 'instance', app: p.name, instance: p.instance, id: p.id, pid: p.pid } as const;
  if (p.readyAt !== null) {
    emit({ ...base, status: 'ready' });
    return { done: { ok: true } };
  }
  const policy = p.spec.policy;
  const giveUpAt = (p.context.onlineSince ?? now) + policy.listenTimeoutMs;
  if (now < giveUpAt) return { wakeAt: giveUpAt };
  const last = p.checks?.readiness?.last?.message;
  emit({
    ...base,
    status: 'online',
    detail: `not ready within listen_timeout (${policy.listenTimeoutMs} ms)${last ? `: ${last}` : ''}; going on, as with wait_ready`,
  });
  return { done: { ok: true } };
}

function fail(p: ManagedProcess, emit: (event: ApplyEvent) => void, reason: string): Outcome {
  emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status: 'failed', pid: p.pid, detail: reason });
  return { ok: false, reason };
}
