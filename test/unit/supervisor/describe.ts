import type { StateValue } from 'xstate';
import type { PolicySpec } from '../../../src/config/types.js';
import type { ProcessContext, RestartReason } from '../../../src/supervisor/process.types.js';
import { type ProcessStatus, statusOf } from '../../../src/supervisor/status.js';

/** A machine snapshot as plain data, so table tests compare fields instead of XState's nested state values. */
export interface MachineSummary {
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

/** Flattens a machine snapshot into plain data for the supervisor's table tests. */
export function describeProcess(snapshot: { value: StateValue; context: ProcessContext }): MachineSummary {
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
