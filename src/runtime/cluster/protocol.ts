import { join } from 'node:path';
import type { WriterConfig } from '../../logs/writer-config.js';
import { sha1Hex } from '../sha1.js';

/**
 * The daemon and an app's cluster primary talk over a Unix socket in the home, one JSON object per line.
 * The primary is the server, so a restarted daemon can connect to a primary that outlived the old one.
 */
export type PrimaryOp =
  | { op: 'fork'; req: number; fork: WorkerLaunch }
  | { op: 'drain'; req: number; pid: number; timeoutMs: number }
  | { op: 'send'; pid: number; message: unknown }
  | { op: 'list'; req: number }
  /** `tend kill`: stop any worker left and exit now, without the idle linger. */
  | { op: 'exit' };

export type PrimaryEvent =
  | { event: 'spawned'; req: number; pid: number }
  | { event: 'spawn-failed'; req: number; message: string }
  | { event: 'listening'; pid: number; address: string }
  | { event: 'message'; pid: number; message: unknown }
  | { event: 'exit'; pid: number; code: number | null; signal: string | null }
  | { event: 'drained'; req: number; pid: number; open: number }
  | { event: 'list'; req: number; workers: Array<{ pid: number; id: number; instance: number }> };

/** Everything the primary needs to fork one worker: the wrapper runs `script` as the main module. */
export interface WorkerLaunch {
  id: number;
  instance: number;
  script: string;
  args: string[];
  execArgv: string[];
  cwd: string;
  env: Record<string, string>;
  out: string | null;
  err: string | null;
  /** Run the worker as this user and group (`uid`/`gid`); absent: as the primary. */
  uid?: number;
  gid?: number;
  /** Set when the app's lines go through a log writer (time prefix, JSON, rotation): the worker gets pipes, not files. */
  writer?: { entry: string; config: WriterConfig };
}

/** Socket paths are limited to about 107 bytes: a hash of the app name keeps them short whatever the name. */
export function primarySocketPath(home: string, app: string): string {
  return join(home, 'cluster', `${sha1Hex(app).slice(0, 16)}.sock`);
}

/** A message from the wrapper inside a worker to the primary, beside the app's own messages. */
export type WorkerNotice = { tend: 'drained'; open: number };
/** A message from the primary to the wrapper inside a worker. */
export type WorkerCommand = { tend: 'drain'; timeoutMs: number };
