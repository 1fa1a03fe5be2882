import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

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

/** Every field of /proc/<pid>/stat tend uses, filled in place so the usage sampler allocates nothing per pid and tick. */
export interface ProcStat extends ProcessEntry {
  /** utime + stime (fields 14 and 15), in clock ticks. */
  cpuTicks: number;
  /** Resident set size (field 24), in pages. */
  rssPages: number;
}

export function newProcStat(): ProcStat {
  return { ppid: 0, pgid: 0, startTime: 0, state: '', cpuTicks: 0, rssPages: 0 };
}

const SPACE = 0x20;
const CLOSE_PAREN = 0x29;
const MINUS = 0x2d;
/** The last field read: rss. */
const LAST_FIELD = 24;

/**
 * Parses the bytes of /proc/<pid>/stat into `into`. The command name may hold spaces and parentheses, so fields are
 * counted after the last `)`. False (and `into` unspecified) when the text is not a stat line.
 */
export function parseStatBytes(bytes: Uint8Array, length: number, into: ProcStat): boolean {
  let close = length - 1;
  while (close >= 0 && bytes[close] !== CLOSE_PAREN) close--;
  if (close < 0) return false;
  // ") " then field 3 (state).
  let i = close + 2;
  if (i >= length) return false;
  into.state = String.fromCharCode(bytes[i]!);
  i += 1;
  let utime = 0;
  for (let field = 4; field <= LAST_FIELD; field++) {
    if (i >= length || bytes[i] !== SPACE) return false;
    i++;
    const negative = i < length && bytes[i] === MINUS;
    if (negative) i++;
    const start = i;
    let value = 0;
    while (i < length && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) value = value * 10 + (bytes[i++]! - 0x30);
    if (i === start) return false;
    if (negative) value = -value;
    if (field === 4) into.ppid = value;
    else if (field === 5) into.pgid = value;
    else if (field === 14) utime = value;
    else if (field === 15) into.cpuTicks = utime + value;
    else if (field === 22) into.startTime = value;
    else if (field === 24) into.rssPages = value;
  }
  return true;
}

/** Parses the text of /proc/<pid>/stat. */
export function parseStat(text: string): ProcessEntry | null {
  const stat = newProcStat();
  const bytes = Buffer.from(text);
  if (!parseStatBytes(bytes, bytes.length, stat)) return null;
  return { ppid: stat.ppid, pgid: stat.pgid, startTime: stat.startTime, state: stat.state };
}

// A stat line is well under 1 KB (52 numbers and a name of at most 64 bytes); reads are synchronous, so one buffer serves all.
const statBuffer = Buffer.alloc(4096);

/**
 * Opens /proc/<pid>/stat, or null when the process is gone. The descriptor follows that one process: once it has
 * exited, reads fail even if the kernel hands its pid to a new process.
 */
export function openStat(pid: number): number | null {
  try {
    return openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    // ENOENT: the process is gone.
    return null;
  }
}

/** Reads an open stat file again, from its start, without allocating; false once its process is gone. */
export function readStatFd(fd: number, into: ProcStat): boolean {
  try {
    return parseStatBytes(statBuffer, readSync(fd, statBuffer, 0, statBuffer.length, 0), into);
  } catch {
    // ESRCH: the process has exited.
    return false;
  }
}

export function closeStat(fd: number): void {
  closeSync(fd);
}

/** Reads /proc/<pid>/stat into `into`; false once the process is gone. */
export function readStat(pid: number, into: ProcStat): boolean {
  const fd = openStat(pid);
  if (fd === null) return false;
  try {
    return readStatFd(fd, into);
  } finally {
    closeStat(fd);
  }
}

function readEntry(pid: number): ProcessEntry | null {
  const stat = newProcStat();
  return readStat(pid, stat) ? stat : null;
}

/** A zombie or dead entry has exited: it keeps no port and no memory, only a row until its parent reaps it. */
export function isExited(entry: ProcessEntry): boolean {
  return entry.state === 'Z' || entry.state === 'X';
}

/** Every pid in /proc at the moment of the call. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) pids.push(pid);
  }
  return pids;
}

/** One snapshot of every process, so a tree walk sees one consistent moment instead of racing per-pid reads. */
export function listProcesses(): ProcessTable {
  const table: ProcessTable = new Map();
  for (const pid of listPids()) {
    const entry = readEntry(pid);
    if (entry) table.set(pid, entry);
  }
  return table;
}

let sameMoment: ProcessTable | null = null;

/**
 * The table of this moment, read once for every caller in the same turn of the event loop: stopping 100 apps signals
 * each one's tree in one loop, and the exits of 500 apps ended by `tend kill` come in one turn too (each its own
 * callback); a /proc walk per tree (of every process on the machine) made both quadratic: 500 apps took 30 s. A
 * snapshot never outlives its turn, and one without `root` (a process started since) is read again; so is one that
 * holds a `root` that has ended since (its exit can come in the same turn, before the snapshot is forgotten).
 */
export function processesNow(root?: number): ProcessTable {
  if (sameMoment && (root === undefined || (sameMoment.has(root) && signalReaches(root)))) return sameMoment;
  const table = listProcesses();
  if (!sameMoment) setImmediate(forgetMoment);
  sameMoment = table;
  return table;
}

function forgetMoment(): void {
  sameMoment = null;
}

/**
 * Whether a process (or, with a negative id, a process group) exists that a signal would reach: signal 0, cheaper than
 * reading its stat. A zombie counts; EPERM (it exists, not ours to signal) too: only ESRCH says there is none.
 */
export function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Parent pid → its children, from pid → parent pid, built once so many trees can be walked in it. */
export function childrenIndex(parents: Map<number, number>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const [child, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(child);
    else children.set(ppid, [child]);
  }
  return children;
}

/** Every descendant of a pid in a children index. */
export function descendantsIn(pid: number, children: Map<number, number[]>): number[] {
  const found: number[] = [];
  const seen = new Set<number>([pid]);
  const queue = [...(children.get(pid) ?? [])];
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i]!;
    if (seen.has(next)) continue;
    seen.add(next);
    found.push(next);
    for (const child of children.get(next) ?? []) queue.push(child);
  }
  return found;
}

/** Every descendant of a pid (children, grandchildren…), so stop and usage cover what the app started. */
export function descendantsOf(pid: number, table: ProcessTable = listProcesses()): number[] {
  const parents = new Map<number, number>();
  for (const [child, entry] of table) parents.set(child, entry.ppid);
  return descendantsIn(pid, childrenIndex(parents));
}

/** The start time of a pid (zombies included), or null once it is gone; stored next to a pid to detect reuse. */
export function readStartTime(pid: number): number | null {
  return readEntry(pid)?.startTime ?? null;
}

/** True while a process of this pid runs: there, and not a zombie waiting for its reaper. */
export function isRunning(pid: number): boolean {
  const entry = readEntry(pid);
  return entry !== null && !isExited(entry);
}

/** True while this exact process runs: not exited, and its pid not handed to a newer process. */
export function isSameProcess(pid: number, startTime: number): boolean {
  const entry = readEntry(pid);
  return entry !== null && !isExited(entry) && entry.startTime === startTime;
}
