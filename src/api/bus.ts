import type { ProcessStatus } from '../supervisor/status.js';

/** The process a bus event is about. */
export interface BusProcess {
  /** tend's id (PM2's pm_id). */
  pm_id: number;
  name: string;
  namespace: string;
  instance: number;
  pid: number | null;
  status: ProcessStatus;
  restarts: number;
  exit_code: number | null;
  /** Its log files (null: discarded), so a subscriber can follow them from the moment it starts. */
  logs: { out: string | null; err: string | null };
}

/**
 * What a `subscribe` call streams, one event per line, until the client closes: a process's status changed, or an app
 * sent an object `{ type, data }` over its IPC channel (`process.send({ type: 'process:msg', data })`). App output is
 * not among them: apps write their log files themselves, and a subscriber follows those files (the daemon names them).
 */
export type BusEvent =
  | {
      kind: 'process';
      /**
       * PM2's event names where it has them: `start` (launching), `online`, `exit` (it stopped running by itself, and
       * is restarted or not); and `stop` (a stop asked for), `errored` (tend gave up on it).
       */
      event: 'start' | 'online' | 'exit' | 'stop' | 'errored';
      process: BusProcess;
      /** ms since the epoch */
      at: number;
    }
  | { kind: 'message'; type: string; data: unknown; process: BusProcess; at: number }
  /** The first event of every subscription: from here on, nothing is missed. */
  | { kind: 'subscribed'; at: number };

/** PM2's names for a process's changes of status, as `process:event` packets carry them. */
export type ProcessEventName = Extract<BusEvent, { kind: 'process' }>['event'];
