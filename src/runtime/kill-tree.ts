import { setTimeout as sleep } from 'node:timers/promises';
import { defaults } from '../core/defaults.js';
import { descendantsOf, isExited, listProcesses, processesNow, signalReaches } from './process-tree.js';
import type { ProcessTable } from './process-tree.js';

/** A pid with its start time, so a pid recycled by the kernel is never signalled by mistake. */
export interface ProcessRef {
  pid: number;
  startTime: number;
}

/** How a stop ended: `forced` when SIGKILL was needed; `survivors` are pids even SIGKILL did not remove in time. */
export interface KillOutcome {
  forced: boolean;
  survivors: number[];
}

export interface KillOptions {
  /** Start time of the root when it was spawned; a root pid now held by another process is left alone. */
  startTime?: number;
  /** Processes remembered earlier (descendants that left the group, or whose parent already exited). */
  known?: ProcessRef[];
}

function assertSafeRoot(pid: number): void {
  // process.kill(-1) or (-0) would signal every process we may signal: never let a bad pid get that far.
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`refusing to signal process tree of pid ${pid}`);
}

function isLive(table: ProcessTable, ref: ProcessRef): boolean {
  const entry = table.get(ref.pid);
  return entry !== undefined && !isExited(entry) && entry.startTime === ref.startTime;
}

/** Live members of the app's tree: the root, its descendants, its process group, and known pids still running. */
function treeMembers(
  pid: number,
  table: ProcessTable,
  options: KillOptions,
): { members: ProcessRef[]; ownsGroup: boolean } {
  const members = new Map<number, number>();
  const add = (p: number): void => {
    const entry = table.get(p);
    if (entry && !isExited(entry) && p !== process.pid) members.set(p, entry.startTime);
  };
  const root = table.get(pid);
  const rootMatches = root !== undefined && (options.startTime === undefined || root.startTime === options.startTime);
  if (rootMatches && !isExited(root)) {
    add(pid);
    for (const d of descendantsOf(pid, table)) add(d);
  }
  // Members of a group led by this id are ours even after the root exited: Linux never hands out a pid still used
  // as a group id. Our own group (a test runner, a daemon started from a shell) is never ours to signal.
  const ownsGroup = (root === undefined || rootMatches) && table.get(process.pid)?.pgid !== pid;
  if (ownsGroup) {
    for (const [p, entry] of table) if (entry.pgid === pid) add(p);
  }
  for (const ref of options.known ?? []) if (isLive(table, ref)) add(ref.pid);
  return { members: [...members].map(([p, startTime]) => ({ pid: p, startTime })), ownsGroup };
}

function send(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: already gone. EPERM: a zombie or a process that changed user; neither is ours to fight.
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

function signalMembers(
  pid: number,
  signal: NodeJS.Signals,
  options: KillOptions,
  table = processesNow(pid),
): ProcessRef[] {
  assertSafeRoot(pid);
  const { members, ownsGroup } = treeMembers(pid, table, options);
  // The group signal is atomic, so it also reaches children forked after the snapshot; each process gets it once.
  const groupSignalled = ownsGroup && send(-pid, signal);
  for (const ref of members) {
    const inGroup = table.get(ref.pid)?.pgid === pid;
    if (!(groupSignalled && inGroup)) send(ref.pid, signal);
  }
  return members;
}

/** Sends a signal to an app's whole tree (root, descendants, its process group); returns the pids it reached. */
export function signalTree(pid: number, signal: NodeJS.Signals, options: KillOptions = {}): number[] {
  assertSafeRoot(pid); // before the signal-0 probe: kill(0 or -1, 0) would ask about every process
  if (nothingLeft(pid, options)) return [];
  return signalMembers(pid, signal, options).map((ref) => ref.pid);
}

/**
 * True when the tree is surely empty without reading /proc: the root is gone (not even a zombie), no process is left
 * in its group, and no remembered pid exists. That is what an app that started no child leaves when it exits (the
 * daemon remembers the app's own pid), and the daemon signals each exited app's tree: a walk of /proc per exit made
 * stopping 1,000 apps quadratic. A remembered pid that exists again, recycled or not, takes the walk as before.
 */
function nothingLeft(pid: number, options: KillOptions): boolean {
  return !signalReaches(pid) && !signalReaches(-pid) && (options.known ?? []).every((ref) => !signalReaches(ref.pid));
}

/** The app's tree right now, for the daemon to remember children that may later leave the group or be orphaned. */
export function snapshotTree(pid: number, options: KillOptions = {}): ProcessRef[] {
  assertSafeRoot(pid);
  return treeMembers(pid, processesNow(pid), options).members;
}

async function waitGone(
  pid: number,
  refs: ProcessRef[],
  options: KillOptions,
  deadline: number,
  pollMs: number,
): Promise<ProcessRef[]> {
  for (;;) {
    // Fresh each time: it must see what the signals did.
    const table = listProcesses();
    // Still there: what we signalled, plus anything that joined the tree since (a child forked during shutdown).
    const remaining = new Map<number, ProcessRef>();
    for (const ref of refs) if (isLive(table, ref)) remaining.set(ref.pid, ref);
    for (const ref of treeMembers(pid, table, options).members) remaining.set(ref.pid, ref);
    if (remaining.size === 0 || Date.now() >= deadline) return [...remaining.values()];
    await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
  }
}

/** Stops a tree gracefully, then with SIGKILL after timeoutMs, so a stop never leaves a child holding the app's port. */
export async function killTreeAndWait(
  pid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
  pollMs = 50,
  options: KillOptions = {},
): Promise<KillOutcome> {
  const signalled = signalMembers(pid, signal, options);
  const survivors = await waitGone(pid, signalled, options, Date.now() + timeoutMs, pollMs);
  if (survivors.length === 0) return { forced: false, survivors: [] };
  const known = [...(options.known ?? []), ...survivors];
  const killed = signalMembers(pid, 'SIGKILL', { ...options, known });
  const left = await waitGone(pid, killed, { ...options, known }, Date.now() + defaults.sigkillWaitMs, pollMs);
  return { forced: true, survivors: left.map((ref) => ref.pid) };
}

/** After an app's main process exited, stops what it left in its group (or in `known`), so its port frees up. */
export function reapLeftovers(
  root: ProcessRef,
  known: ProcessRef[],
  signal: NodeJS.Signals,
  timeoutMs: number,
  pollMs = 50,
): Promise<KillOutcome> {
  return killTreeAndWait(root.pid, signal, timeoutMs, pollMs, { startTime: root.startTime, known });
}
