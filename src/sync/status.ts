import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../core/atomic-file.js';

/** What `tend sync status` shows of one pull agent: what it follows, what it saw and applied last, and how that went. */
export interface SyncStatus {
  name: string;
  repo: string;
  branch: string;
  path: string;
  intervalMs: number;
  /** The newest commit of the branch the agent fetched; null before the first fetch. */
  lastSeen: string | null;
  /** The commit it last tried to apply, and how that ended. */
  lastAttempted: string | null;
  lastResult: 'applied' | 'unchanged' | 'apply-failed' | 'fetch-failed' | null;
  lastError: string | null;
  /** When it last checked (ms since the epoch). */
  checkedAt: number | null;
}

export function syncDir(home: string, name: string): string {
  return join(home, 'sync', name);
}

export function statusFile(dir: string): string {
  return join(dir, 'status.json');
}

export function readSyncStatus(dir: string): SyncStatus | null {
  try {
    return JSON.parse(readFileSync(statusFile(dir), 'utf8')) as SyncStatus;
  } catch {
    return null;
  }
}

export function writeSyncStatus(dir: string, status: SyncStatus): Promise<void> {
  return writeFileAtomically(statusFile(dir), `${JSON.stringify(status, null, 2)}\n`, { durable: false });
}
