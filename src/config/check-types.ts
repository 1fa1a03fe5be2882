/**
 * What a readiness (`ready:`) or liveness (`health:`) check asks of an app. Each check has exactly one kind; the
 * daemon runs it from outside the app (src/runtime/health-checks/), never inside it.
 */
export type CheckProbe =
  /** A GET to 127.0.0.1:port/path; passes on one of `status` (empty: any 2xx or 3xx). */
  | { kind: 'http'; port: number; path: string; status: number[] }
  /** A TCP connection to 127.0.0.1:port is accepted. */
  | { kind: 'tcp'; port: number }
  /** A command run in the app's cwd with its environment exits 0 (through /bin/sh only when it has shell syntax). */
  | { kind: 'exec'; command: string }
  /** A line matching this regular expression (JavaScript syntax) was written to the app's log files since the last check. */
  | { kind: 'log'; pattern: string };

/** `ready:`: an instance is ready once its check passes `threshold` times in a row, within `listen_timeout`. */
export interface ReadinessSpec {
  probe: CheckProbe;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive passes that make it ready. */
  threshold: number;
}

/** `health:`: an instance whose check fails `failures` times in a row, after `start_period`, is restarted. */
export interface LivenessSpec {
  probe: CheckProbe;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failures that make it unhealthy. */
  failures: number;
  /** From the spawn: failures in this time do not count (ms). */
  startPeriodMs: number;
}
