import type { StateValue } from 'xstate';
import type { PolicySpec } from '../config/types.js';
import type { ProcessContext, RestartReason } from './process.types.js';
import { PROCESS_STATUSES, type ProcessStatus } from './status.js';

/** One process as `tend ls` and `tend show` present it. */
export interface ProcessView {
  status: ProcessStatus;
  pid: number | null;
  restarts: number;
  unstableRestarts: number;
  lastExitCode: number | null;
  lastSignal: string | null;
  onlineSince: number | null;
  createdAt: number;
  stateSince: number;
  nextRestartAt: number | null;
  backoffDelayMs: number | null;
  lastRestartReason: RestartReason | null;
  errorMessage: string | null;
  policy: PolicySpec;
}

/** Flattens a machine snapshot into plain data, so the daemon never reads XState's nested state values. */
export function describeProcess(snapshot: { value: StateValue; context: ProcessContext }): ProcessView {
  const { context: c } = snapshot;
  return {
    status: statusOf(snapshot.value),
    pid: c.pid,
    restarts: c.restarts,
    unstableRestarts: c.unstableRestarts,
    lastExitCode: c.lastExitCode,
    lastSignal: c.lastSignal,
    onlineSince: c.onlineSince,
    createdAt: c.createdAt,
    stateSince: c.stateSince,
    nextRestartAt: c.nextRestartAt,
    backoffDelayMs: c.backoffDelayMs,
    lastRestartReason: c.lastRestartReason,
    errorMessage: c.errorMessage,
    policy: c.policy,
  };
}

/** The status a machine state stands for (the top-level state's name). */
export function statusOf(value: StateValue): ProcessStatus {
  const top = typeof value === 'string' ? value : Object.keys(value)[0];
  const status = PROCESS_STATUSES.find((s) => s === top);
  if (status === undefined) throw new Error(`process machine: unknown state ${JSON.stringify(value)}`);
  return status;
}
