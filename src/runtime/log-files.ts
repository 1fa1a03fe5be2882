import { open, stat, truncate } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { defaults } from '../core/defaults.js';

const CHUNK_BYTES = 64 * 1024;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The last n lines of a file, read backwards in chunks so a multi-gigabyte log costs only what is shown. */
export async function readLastLines(file: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  try {
    let position = (await handle.stat()).size;
    const chunks: Buffer[] = [];
    let newlines = 0;
    // n lines need n+1 newlines before them unless the file starts first (the final newline ends the last line).
    while (position > 0 && newlines <= n) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position);
      const data = chunk.subarray(0, bytesRead);
      for (const byte of data) if (byte === 0x0a) newlines += 1;
      chunks.unshift(data);
    }
    // Decoded once, whole: a chunk boundary may split a multi-byte character.
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (position > 0) lines.shift();
    return lines.slice(-n);
  } finally {
    await handle.close();
  }
}

/** Empties a log file in place; writers keep their O_APPEND fd and go on writing from the new end. */
export async function flushFile(file: string): Promise<void> {
  try {
    await truncate(file, 0);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

export interface FollowOptions {
  /** How often the size is checked (ms). */
  pollMs?: number;
  /** Byte offset to start from; default: the current end, so only new lines are reported. */
  from?: number;
  /** Failures other than a missing file (which is waited for); by default they stop nothing and are rethrown. */
  onError?: (error: Error) => void;
}

export interface Follower {
  close(): void;
}

/** Reports lines appended to a file as they come, for `tend logs`; survives truncation by `tend flush` and replacement. */
export function followFile(file: string, onLines: (lines: string[]) => void, options: FollowOptions = {}): Follower {
  const pollMs = options.pollMs ?? defaults.followPollMs;
  let position = options.from ?? -1;
  let inode: number | null = null;
  let decoder = new StringDecoder('utf8');
  let partial = '';
  let busy = false;
  let closed = false;

  const restart = (): void => {
    position = 0;
    partial = '';
    decoder = new StringDecoder('utf8');
  };

  const readNew = async (): Promise<void> => {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // A file that appears later is read from its first byte: all of it is new.
      if (position < 0) position = 0;
      return;
    }
    if (position < 0) position = info.size;
    if (inode !== null && info.ino !== inode) restart();
    inode = info.ino;
    if (info.size < position) restart();
    if (info.size === position) return;
    const handle = await open(file, 'r');
    try {
      while (position < info.size && !closed) {
        const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, info.size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const text = partial + decoder.write(buffer.subarray(0, bytesRead));
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        if (lines.length > 0 && !closed) onLines(lines);
      }
    } finally {
      await handle.close();
    }
  };

  const tick = (): void => {
    if (busy || closed) return;
    busy = true;
    readNew()
      .catch((error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        if (options.onError) options.onError(err);
        else
          queueMicrotask(() => {
            throw err;
          });
      })
      .finally(() => {
        busy = false;
      });
  };

  const timer = setInterval(tick, pollMs);
  tick();
  return {
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
