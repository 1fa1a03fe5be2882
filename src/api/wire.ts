import { PROTOCOL_VERSION } from '../core/defaults.js';
import type { Problem, TendErrorCode } from '../core/errors.js';

/**
 * The control socket speaks newline-delimited JSON (src/core/ndjson.ts frames it). A request gets zero or more `event`
 * lines (progress of a long call) and then exactly one final line with `ok`.
 */
export interface Request {
  v: number;
  id: number;
  method: string;
  params?: unknown;
}

export interface WireError {
  code: TendErrorCode;
  message: string;
  problems?: Problem[];
}

export type Reply =
  | { v: number; id: number; ok: true; result: unknown }
  | { v: number; id: number; ok: false; error: WireError }
  | { v: number; id: number; event: unknown };

/** Longest request line the daemon reads before it answers with an error and closes the connection. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export { PROTOCOL_VERSION };
