import { readdirSync, readFileSync } from 'node:fs';

/** One row of the process table, as /proc/<pid>/stat tells it. */
export interface ProcessEntry {
  ppid: number;
  pgid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): with the pid, it names one process for its whole life. */
  startTime: number;
  /** One-letter state; `Z` (zombie) and `X` (dead) hold no resources and count as gone. */
  state: string;
}

/** Pid → entry for every process visible in /proc at the moment of the call. */
export type ProcessTable = Map<number, ProcessEntry>;

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields are counted after the last `)`. */
export function parseStat(text: string): ProcessEntry | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after ") " start at field 3 (state); field N is at index N - 3.
  const fields = text.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const startTime = Number(fields[19]);
  const state = fields[0] ?? '';
  if (!Number.isInteger(ppid) || !Number.isInteger(pgid) || !Number.isFinite(startTime)) return null;
  return { ppid, pgid, startTime, state };
}

function readEntry(pid: number): ProcessEntry | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // ENOENT or ESRCH: the process is gone, or exited while we read.
    return null;
  }
}

/** A zombie or dead entry has exited: it keeps no port and no memory, only a row until its parent reaps it. */
export function isExited(entry: ProcessEntry): boolean {
  return entry.state === 'Z' || entry.state === 'X';
}

/** One snapshot of every process, so a tree walk sees one consistent moment instead of racing per-pid reads. */
export function listProcesses(): ProcessTable {
  const table: ProcessTable = new Map();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const entry = readEntry(pid);
    if (entry) table.set(pid, entry);
  }
  return table;
}

/** Every descendant of a pid (children, grandchildren…), so stop and usage cover what the app started. */
export function descendantsOf(pid: number, table: ProcessTable = listProcesses()): number[] {
  const children = new Map<number, number[]>();
  for (const [child, entry] of table) {
    const list = children.get(entry.ppid);
    if (list) list.push(child);
    else children.set(entry.ppid, [child]);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  const seen = new Set<number>([pid]);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (seen.has(next)) continue;
    seen.add(next);
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** The start time of a pid (zombies included), or null once it is gone; stored next to a pid to detect reuse. */
export function readStartTime(pid: number): number | null {
  return readEntry(pid)?.startTime ?? null;
}

/** True while this exact process runs: not exited, and its pid not handed to a newer process. */
export function isSameProcess(pid: number, startTime: number): boolean {
  const entry = readEntry(pid);
  return entry !== null && !isExited(entry) && entry.startTime === startTime;
}
