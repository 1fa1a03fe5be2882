import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppOwner, AppSpec } from '../config/types.js';
import { writeFileAtomically } from '../core/atomic-file.js';
import { TendError } from '../core/errors.js';

/** Entries kept: the newest this many, and no more than HISTORY_MAX_BYTES in all (a 1,000-app apply is ~2 MB). */
export const HISTORY_MAX_ENTRIES = 200;
export const HISTORY_MAX_BYTES = 64 * 1024 * 1024;

/**
 * One change to what the daemon manages, as `tend history` lists it and `tend rollback` reads it back: who asked
 * (the owner record), what the plan did, how it ended, and the specs of the apps it touched before and after, so that
 * any entry's state can be planned back to.
 */
export interface HistoryEntry {
  version: 1;
  id: number;
  at: number;
  /** `apply` (a file), `start` (the command line), `scale`, `delete`, `rollback`. */
  kind: 'apply' | 'start' | 'scale' | 'delete' | 'rollback';
  owner: AppOwner | null;
  /** The plan in one line: "api restart, web start". */
  summary: string;
  /** `ok`; `failed` (some instance did not come up); `restored` (`--atomic` put the apps back); `refused` (nothing done). */
  result: 'ok' | 'failed' | 'restored' | 'refused';
  error?: string;
  /** `--only` names of the apply; null for the whole file. */
  scope: string[] | null;
  /** The desired apps of the apply (in scope): the state `tend rollback ID` goes back to. */
  desired: AppSpec[];
  /** Each app it touched, its spec before (null: it did not exist) and after (null: deleted). */
  before: Record<string, AppSpec | null>;
  after: Record<string, AppSpec | null>;
}

export function historyDir(home: string): string {
  return join(home, 'history');
}

const ENTRY_FILE = /^(\d{6,})\.json$/;

function entryIds(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ENTRY_FILE.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

const fileOf = (dir: string, id: number) => join(dir, `${String(id).padStart(6, '0')}.json`);

/** The daemon's writer: numbers entries on from the newest on disk, and keeps the folder within its bounds. */
export class HistoryWriter {
  private nextId: number | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly home: string) {}

  /**
   * Numbers the entry now and writes it behind the previous one, off the caller's path: an apply's answer carries
   * the id without waiting for the disk. `written` settles once it is on disk (tests, shutdown).
   */
  record(entry: Omit<HistoryEntry, 'version' | 'id'>): number {
    const dir = historyDir(this.home);
    if (this.nextId === null) this.nextId = (entryIds(dir).at(-1) ?? 0) + 1;
    const id = this.nextId++;
    const done = this.chain.then(async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomically(fileOf(dir, id), JSON.stringify({ version: 1, id, ...entry }), { durable: false });
      trim(dir);
    });
    this.chain = done.catch((err: unknown) => {
      console.error(`tend daemon: could not record history entry ${id}: ${err instanceof Error ? err.message : err}`);
    });
    return id;
  }

  get written(): Promise<void> {
    return this.chain;
  }
}

function trim(dir: string): void {
  const ids = entryIds(dir);
  let total = 0;
  const keep = new Set<number>();
  for (const id of [...ids].reverse()) {
    const size = statSync(fileOf(dir, id), { throwIfNoEntry: false })?.size ?? 0;
    if (keep.size >= HISTORY_MAX_ENTRIES || (keep.size > 0 && total + size > HISTORY_MAX_BYTES)) break;
    total += size;
    keep.add(id);
  }
  for (const id of ids) if (!keep.has(id)) rmSync(fileOf(dir, id), { force: true });
}

/** Every entry, oldest first; a damaged one is skipped here (and refused by readHistoryEntry). */
export function readHistory(home: string): HistoryEntry[] {
  const dir = historyDir(home);
  const entries: HistoryEntry[] = [];
  for (const id of entryIds(dir)) {
    try {
      entries.push(readHistoryEntry(home, id));
    } catch {
      // Listed as missing by the caller's numbering; rollback to it says why.
    }
  }
  return entries;
}

/** One entry, checked: missing or damaged, a clear error. */
export function readHistoryEntry(home: string, id: number): HistoryEntry {
  const file = fileOf(historyDir(home), id);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TendError(
      'USAGE',
      `no history entry ${id} (see \`tend history\`; old entries are dropped after ${HISTORY_MAX_ENTRIES})`,
    );
  }
  let entry: Partial<HistoryEntry>;
  try {
    entry = JSON.parse(text) as Partial<HistoryEntry>;
  } catch {
    throw new TendError(
      'STATE_CORRUPT',
      `history entry ${id} is damaged (${file} is not valid JSON); nothing was changed`,
    );
  }
  const object = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (
    entry.version !== 1 ||
    entry.id !== id ||
    typeof entry.at !== 'number' ||
    !Array.isArray(entry.desired) ||
    !object(entry.before) ||
    !object(entry.after) ||
    typeof entry.result !== 'string'
  )
    throw new TendError(
      'STATE_CORRUPT',
      `history entry ${id} is damaged (${file}: a field is missing or wrong); nothing was changed`,
    );
  return entry as HistoryEntry;
}
