import type { CheckProbe } from '../../config/check-types.js';
import { execCheck, type ExecPlace } from './exec-check.js';
import { HttpCheck } from './http-check.js';
import { LogCheck } from './log-check.js';
import type { CheckOutcome } from './outcome.js';
import { tcpCheck } from './tcp-check.js';

export type { CheckOutcome } from './outcome.js';

/** What a check of one instance needs besides its probe: where its command runs and which files hold its output. */
export interface CheckTarget extends ExecPlace {
  logFiles: readonly string[];
  /** Where each log file ended when the run began; absent: where it ends when the check is made. */
  logStarts?: ReadonlyMap<string, number> | undefined;
  /**
   * The port is shared by several workers behind a cluster primary, which hands each new connection to the next one:
   * an http check then connects anew each time, so a new worker gets its share of the checks (a kept connection
   * stays with the worker that took it first).
   */
  sharedPort?: boolean;
}

/**
 * One check of one instance, ready to run again and again: an http check keeps its connection, a log check its place in
 * the files, between runs. `close` lets go of what it keeps.
 */
export interface CheckRunner {
  run(): Promise<CheckOutcome>;
  close(): void;
}

const nothingToClose = (): void => {};

/** The runner of `probe` for one run of an instance; a new run of the instance gets a new runner. */
export function checkRunner(probe: CheckProbe, target: CheckTarget, timeoutMs: number): CheckRunner {
  switch (probe.kind) {
    case 'http': {
      const http = new HttpCheck(
        { port: probe.port, path: probe.path, statuses: probe.status },
        timeoutMs,
        target.sharedPort !== true,
      );
      return { run: () => http.check(), close: () => http.close() };
    }
    case 'tcp':
      return { run: () => tcpCheck(probe.port, timeoutMs), close: nothingToClose };
    case 'exec':
      return { run: () => execCheck(probe.command, target, timeoutMs), close: nothingToClose };
    case 'log': {
      const log = new LogCheck(target.logFiles, new RegExp(probe.pattern), target.logStarts);
      return { run: () => log.check(), close: nothingToClose };
    }
  }
}
