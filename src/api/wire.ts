import { PROTOCOL_VERSION } from '../core/defaults.js';
import type { Problem, TendErrorCode } from '../core/errors.js';

/**
 * The control socket speaks newline-delimited JSON. A request gets zero or more `event` lines
 * (progress of a long call) and then exactly one final line with `ok`.
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

export function encode(message: Request | Reply): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into lines; keeps the partial tail between chunks. */
export class LineSplitter {
  private tail = '';

  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    return lines.filter((line) => line.length > 0);
  }

  get pending(): number {
    return this.tail.length;
  }
}

export { PROTOCOL_VERSION };
