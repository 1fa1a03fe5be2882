import { closeSync, fsyncSync, openSync, renameSync, writeSync, readFileSync, existsSync } from 'node:fs';
import { TendError } from '../core/errors.js';
import type { AppSpec } from '../config/types.js';
import type { ProcessStatus } from '../supervisor/status.js';

/** What the daemon keeps on disk so a new daemon (or `resurrect`) brings back exactly the same apps. */
export interface StoredState {
  version: 1;
  nextId: number;
  apps: StoredApp[];
}

export interface StoredApp {
  spec: AppSpec;
  processes: StoredProcess[];
}

export interface StoredProcess {
  id: number;
  instance: number;
  status: ProcessStatus;
  pid: number | null;
  startTime: number | null;
  onlineSince: number | null;
  createdAt: number;
  restarts: number;
  unstableRestarts: number;
}

/** Writes so that a crash at any instant leaves the old file or the new one: temporary file, fsync, rename. */
export function writeStateAtomically(file: string, state: StoredState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads a state or dump file; a missing file is an empty state, a broken one is an error that names it. */
export function readState(file: string): StoredState {
  if (!existsSync(file)) return { version: 1, nextId: 0, apps: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new TendError('STATE_CORRUPT', `${file} is not valid JSON; it was left in place for you to inspect`, { cause });
  }
  const state = parsed as Partial<StoredState>;
  if (state.version !== 1 || !Array.isArray(state.apps) || typeof state.nextId !== 'number') {
    throw new TendError('STATE_CORRUPT', `${file} is not a tend state file (version 1)`);
  }
  return state as StoredState;
}
