import type { PolicySpec } from '../config/types.js';

/** Why the process was last started again; shown by `tend show`. */
export type RestartReason =
  /** it exited on its own and autorestart brought it back */
  | 'crash'
  /** its RSS went over max_memory_restart */
  | 'memory'
  /** a watched file changed */
  | 'watch'
  /** `tend restart` (or apply) asked for it */
  | 'manual'
  /** its `cron_restart` schedule came round */
  | 'cron'
  /** its liveness check (`health:`) failed `failures` times in a row */
  | 'health';

/** What a process inherits from the one it replaces: its restart count and when the first of them was created. */
export interface CarriedCounters {
  restarts: number;
  createdAt: number;
}

/** A live process found by a restarted daemon, to be supervised again without restarting it. */
export interface AdoptedProcess {
  pid: number;
  onlineSince: number;
  restarts: number;
  unstableRestarts: number;
  createdAt: number;
}

export interface ProcessInput {
  policy: PolicySpec;
  autostart: boolean;
  /** When the machine is created (ms since epoch). */
  at: number;
  /** The app's name, used in messages that tell the user what to run. */
  name?: string;
  adopt?: AdoptedProcess;
  /** Counters carried over from the process this one replaces (a rolling reload starts a new machine per instance). */
  carry?: CarriedCounters;
}

/** Everything tend knows about one managed process; the daemon reads it for `tend ls` and `tend show`. */
export interface ProcessContext {
  name: string;
  policy: PolicySpec;
  pid: number | null;
  /** Restarts so far, automatic and manual, as PM2's restart_time. */
  restarts: number;
  /** Consecutive exits within min_uptime of starting; errored at max_restarts. */
  unstableRestarts: number;
  lastExitCode: number | null;
  lastSignal: string | null;
  /** When it last came online, or null while it is not online. */
  onlineSince: number | null;
  createdAt: number;
  /** When it entered its current status. */
  stateSince: number;
  /** When the pending automatic restart happens (kept here: persisted snapshots lose timers). */
  nextRestartAt: number | null;
  /** The last exponential-backoff delay, or null when the next crash starts the backoff over. */
  backoffDelayMs: number | null;
  lastRestartReason: RestartReason | null;
  /** Why it is errored, for the user. */
  errorMessage: string | null;
  /** Start it again once the current stop completes (restart by hand, memory or watch). */
  startAfterExit: boolean;
  /** With wait_ready: when launching gives up waiting for `ready` and goes online anyway. */
  readyDeadline: number | null;
  /**
   * When the current run was found ready: its `ready:` check passed, or it sent `ready` (wait_ready, a cluster worker's
   * listen); null until then, and while it is not running.
   */
  readyAt: number | null;
  /** The stop under way was asked for by the liveness check: its exit is decided as a crash's is. */
  unhealthyStop: boolean;
  /** The last liveness failure that restarted it, for `tend show` ("health check failed 3 times: ..."). */
  healthFailure: string | null;
  /** The time a timer fired at, for state entries caused by a timer rather than by an event. */
  timerAt: number;
  /** How the first state is chosen on start; null once the machine has settled. */
  boot: 'launch' | 'adopt' | null;
}

/** What the daemon tells a process machine. Every event carries `at`, the time it happened (ms since epoch). */
export type ProcessEvent =
  /** Start a stopped or errored process by hand. */
  | { type: 'START'; at: number }
  | { type: 'STOP'; at: number }
  /** Stop then start by hand (or on the app's schedule: reason 'cron'); counted in restarts, as PM2. */
  | { type: 'RESTART'; at: number; reason?: 'manual' | 'cron' }
  /** The runtime started the process. */
  | { type: 'SPAWNED'; at: number; pid: number }
  /** The runtime could not start it (missing binary, bad cwd...). */
  | { type: 'SPAWN_FAILED'; at: number; message: string }
  /** The process is ready: it sent `ready` (wait_ready, a cluster worker's listen), or its `ready:` check passed. */
  | { type: 'READY'; at: number }
  /** A cluster worker listens, and its app has a `ready:` check: online now, ready only once the check passes. */
  | { type: 'LISTENING'; at: number }
  /** Its liveness check failed too often; `reason` says how, for `tend show`. */
  | { type: 'UNHEALTHY'; at: number; reason: string }
  /** The main pid exited. */
  | { type: 'EXITED'; at: number; code: number | null; signal: string | null }
  /** A sample of the process tree's resident memory, in bytes. */
  | { type: 'MEMORY'; at: number; rss: number }
  | { type: 'FILES_CHANGED'; at: number }
  /** New limits and delays, applied in place from now on. */
  | { type: 'POLICY'; at: number; policy: PolicySpec }
  /** `tend reset`: restarts, unstable restarts and the backoff back to zero; created-at and uptime count from now. */
  | { type: 'RESET_COUNTERS'; at: number };

/** What the daemon's signalProcess needs to stop the process tree gracefully. */
export interface SignalParams {
  pid: number;
  signal: NodeJS.Signals;
  /** Send the IPC message 'shutdown' instead of the signal (shutdown_with_message). */
  withMessage: boolean;
}
