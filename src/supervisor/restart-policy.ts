import { plural } from '../core/plural.js';
import type { PolicySpec } from '../config/types.js';
import { nextBackoffDelay } from './backoff.js';

/** What survives from one run of a process to the next, for the restart decision. */
export interface RestartCounters {
  /** Restarts so far, automatic and manual (PM2: restart_time); counted when the process is spawned again, not here. */
  restarts: number;
  /** Consecutive exits within min_uptime of starting. */
  unstableRestarts: number;
  /** The last exponential-backoff delay, or null when the next crash starts the backoff over. */
  backoffDelayMs: number | null;
}

/** How the main process ended, and since when it had been up. */
export interface ExitReport {
  code: number | null;
  signal: string | null;
  /** When the process came online, or null if it never did (that exit counts as unstable). */
  onlineSince: number | null;
}

export type ExitDecision =
  /** Leave it stopped: autorestart is off, or the exit code is one of stop_exit_codes. */
  | { kind: 'stop' }
  /** Give up: it keeps crashing right after it starts. */
  | { kind: 'errored'; reason: string; counters: RestartCounters }
  /** Start it again after delayMs (the restart is counted then, when it is spawned again). */
  | { kind: 'restart'; delayMs: number; counters: RestartCounters };

/**
 * Decides what follows an unexpected exit (pm2.md §3.2, §3.3), kept pure so the rules have their own table tests.
 *
 * Unstable restarts use a simpler rule than PM2's: an exit within min_uptime of coming online counts
 * one more, any longer run resets the count to zero. PM2 also requires the exit to fall inside a
 * window of min_uptime × max_restarts after the first start, which users rarely guess (pm2.md §5.8);
 * "N crashes in a row, each within min_uptime" is what the errored message can state plainly.
 * A max_restarts of 0 gives up on the first unstable exit and still restarts after stable runs.
 */
export function decideAfterExit(
  policy: PolicySpec,
  counters: RestartCounters,
  exit: ExitReport,
  at: number,
  name: string,
): ExitDecision {
  if (!policy.autorestart) return { kind: 'stop' };
  if (exit.code !== null && policy.stopExitCodes.includes(exit.code)) return { kind: 'stop' };

  const lived = exit.onlineSince === null ? 0 : at - exit.onlineSince;
  const unstable = lived < policy.minUptimeMs;
  const unstableRestarts = unstable ? counters.unstableRestarts + 1 : 0;

  if (unstable && unstableRestarts >= policy.maxRestarts) {
    const times = plural(unstableRestarts, 'time');
    return {
      kind: 'errored',
      reason:
        `crashed ${times} within min_uptime (${policy.minUptimeMs}ms) of starting; not restarting. ` +
        `Fix it, then \`tend restart ${name}\``,
      counters: { ...counters, unstableRestarts },
    };
  }

  const delayMs = nextBackoffDelay(policy, counters.backoffDelayMs);
  return {
    kind: 'restart',
    delayMs,
    counters: {
      restarts: counters.restarts,
      unstableRestarts,
      backoffDelayMs: policy.expBackoffRestartDelayMs === null ? null : delayMs,
    },
  };
}

/** Whether a process using `rss` bytes is over its `max_memory_restart` (none: never). */
export function isOverMemoryLimit(policy: Pick<PolicySpec, 'maxMemoryRestartBytes'>, rss: number): boolean {
  return policy.maxMemoryRestartBytes !== null && rss > policy.maxMemoryRestartBytes;
}
