import { defaults } from '../core/defaults.js';
import { readLastLines } from '../runtime/log-files.js';
import type { ApplyEvent, ApplyResult } from '../api/methods.js';
import type { ManagedProcess } from './managed-process.js';

/** How often the daemon looks at starting instances while a command waits for them. */
const SETTLE_POLL_MS = 25;

type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * Waits until each started instance is up (online for a short settle window, or ready with wait_ready)
 * or has failed (exited, errored, or never came up), so `apply` can end with a true answer.
 */
export async function settle(
  processes: ManagedProcess[],
  emit: (event: ApplyEvent) => void,
): Promise<ApplyResult['failed']> {
  const outcomes = await Promise.all(processes.map((p) => settleOne(p, emit)));
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

async function settleOne(p: ManagedProcess, emit: (event: ApplyEvent) => void): Promise<Outcome> {
  const crashesBefore = p.crashes;
  const policy = p.spec.policy;
  const settleMs = Math.min(policy.minUptimeMs, defaults.applySettleMs);
  const deadline = Date.now() + policy.listenTimeoutMs + settleMs + 5000;
  let lastStatus = '';
  for (;;) {
    const status = p.status;
    if (status !== lastStatus) {
      lastStatus = status;
      emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status, pid: p.pid });
    }
    const ctx = p.context;
    if (p.crashes > crashesBefore) {
      const how = ctx.lastSignal ? `was killed by ${ctx.lastSignal}` : `exited with code ${ctx.lastExitCode}`;
      return fail(p, emit, `${how} while starting`);
    }
    if (status === 'errored') return fail(p, emit, ctx.errorMessage ?? 'errored');
    if (status === 'stopped') return fail(p, emit, 'stopped while starting');
    if (status === 'online' && ctx.onlineSince !== null && Date.now() - ctx.onlineSince >= settleMs) {
      emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status: 'ready', pid: p.pid });
      return { ok: true };
    }
    if (Date.now() > deadline)
      return fail(p, emit, `did not come online within ${policy.listenTimeoutMs + settleMs + 5000} ms`);
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
  }
}

function fail(p: ManagedProcess, emit: (event: ApplyEvent) => void, reason: string): Outcome {
  emit({ kind: 'instance', app: p.name, instance: p.instance, id: p.id, status: 'failed', pid: p.pid, detail: reason });
  return { ok: false, reason };
}
