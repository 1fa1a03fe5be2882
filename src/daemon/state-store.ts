import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { temporaryNameFor, writeFileAtomically } from '../core/atomic-file.js';
import { TendError } from '../core/errors.js';
import type { AppOwner, AppSpec } from '../config/types.js';
import { PROCESS_STATUSES, type ProcessStatus } from '../supervisor/status.js';
import { count, listOf, ms, nullable, oneOf, optional, shape } from './checks.js';
import { appOwner, appSpec } from './params.js';

/** What the daemon keeps on disk so a new daemon (or `resurrect`) brings back exactly the same apps. */
export interface StoredState {
  version: 1;
  nextId: number;
  apps: StoredApp[];
}

export interface StoredApp {
  spec: AppSpec;
  /** Who applied it last; absent for an app from before owners (never pruned, taken by the next file naming it). */
  owner?: AppOwner;
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

/**
 * Writes atomically (see writeFileAtomically), durably unless told otherwise, then refreshes the backup copy a
 * damaged file is recovered from.
 */
export async function writeStateAtomically(
  file: string,
  state: StoredState,
  options: { durable?: boolean } = {},
): Promise<void> {
  await writeFileAtomically(file, `${JSON.stringify(state, null, 2)}\n`, options);
  await writeBackup(file);
}

/** The second copy of a state file, what a damaged one (an edit, a truncation, a bad disk block) is recovered from. */
export function backupOf(file: string): string {
  return `${file}.bak`;
}

// A copy, not a hard link: damage done to the file in place would reach a link too. Not fsynced: the main
// file is the durable one; the copy is there for when that file is damaged later, not for a power cut.
async function writeBackup(file: string): Promise<void> {
  const backup = backupOf(file);
  const tmp = temporaryNameFor(backup);
  try {
    await copyFile(file, tmp);
    await rename(tmp, backup);
  } catch {
    // A full disk: the backup stays one write behind, which still beats none.
    await rm(tmp, { force: true });
  }
}

/** Reads a state or dump file; a missing file is an empty state, an unreadable or broken one an error that names it. */
export function readState(file: string): StoredState {
  const { state, skipped } = readStateLeniently(file);
  if (skipped.length > 0)
    throw new TendError('STATE_CORRUPT', `${file} is not a valid tend state file: ${skipped.join('; ')}`);
  return state;
}

/**
 * Reads a state file keeping every app that is whole: one damaged entry must not make the daemon
 * forget (and stop supervising) the apps next to it. Throws STATE_CORRUPT when nothing can be trusted.
 */
export function readStateLeniently(file: string): { state: StoredState; skipped: string[]; skippedNames: string[] } {
  if (!existsSync(file)) return { state: { version: 1, nextId: 0, apps: [] }, skipped: [], skippedNames: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TendError(
      'STATE_CORRUPT',
      `${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      { cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new TendError(
      'STATE_CORRUPT',
      `${file} is not valid JSON (${text.length === 0 ? 'it is empty' : (cause as Error).message})`,
      { cause },
    );
  }
  const top = stateFile(parsed, 'state');
  if (top) throw new TendError('STATE_CORRUPT', `${file} is not a tend state file (version 1): ${top}`);
  const state = parsed as StoredState;
  const skipped: string[] = [];
  const skippedNames: string[] = [];
  const apps = state.apps.filter((app, index) => {
    const problem = storedApp(app, `apps[${index}]`);
    if (problem) {
      skipped.push(problem);
      const name = (app as { spec?: { name?: unknown } } | null)?.spec?.name;
      if (typeof name === 'string') skippedNames.push(name);
    }
    return !problem;
  });
  return { state: { ...state, apps }, skipped, skippedNames };
}

/**
 * Reads the dump `tend save` wrote, for `tend resurrect`. A damaged dump (not JSON, not a tend dump, or an app in it
 * that is not whole: a stray edit, a truncation) is not half used: its backup copy (`dump.json.bak`, written after each
 * save, so the last dump that was whole) is used instead, the damaged file is removed (as PM2 does with `dump.pm2`), and
 * `warnings` says so. Throws STATE_CORRUPT, removing nothing, when the backup cannot be used either.
 */
export function readDump(file: string): { state: StoredState; warnings: string[] } {
  let damage: string;
  try {
    return { state: readState(file), warnings: [] };
  } catch (err) {
    damage = err instanceof Error ? err.message : String(err);
  }
  const backup = backupOf(file);
  let state: StoredState;
  try {
    if (!existsSync(backup)) throw new TendError('STATE_CORRUPT', `there is no ${backup}`);
    state = readState(backup);
  } catch (err) {
    throw new TendError(
      'STATE_CORRUPT',
      `${damage}; its backup copy cannot be used either (${err instanceof Error ? err.message : String(err)}); nothing was resurrected and both files are left as they are`,
      { cause: err },
    );
  }
  let removed: string;
  try {
    rmSync(file, { force: true });
    removed = 'removed the damaged file';
  } catch (err) {
    removed = `could not remove it (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  return {
    state,
    warnings: [`${damage}; resurrected from its backup copy ${backup} instead, and ${removed}`],
  };
}

/** Moves a file that cannot be used out of the way, so it is never overwritten and can be inspected. */
export function setAside(file: string, now = new Date()): string {
  const aside = `${file}.broken-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return aside;
}

/** Keeps a copy of a file partly used, before the daemon writes its new state over it. */
export function copyAside(file: string, now = new Date()): string {
  const aside = `${file}.broken-${now.toISOString().replace(/[:.]/g, '-')}`;
  copyFileSync(file, aside);
  return aside;
}

const stateFile = shape({ version: oneOf(1), nextId: count, apps: listOf(() => undefined) });

const storedApp = shape({
  spec: appSpec,
  owner: optional(appOwner),
  processes: listOf(
    shape({
      id: count,
      instance: count,
      status: oneOf(...PROCESS_STATUSES),
      pid: nullable(count),
      startTime: nullable(ms),
      onlineSince: nullable(ms),
      createdAt: ms,
      restarts: count,
      unstableRestarts: count,
    }),
  ),
});
