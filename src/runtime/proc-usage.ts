// Usage from /proc on Linux: one read of each tree member's stat per tick, through an fd kept open.
import { readFileSync } from 'node:fs';
import {
  childrenIndex,
  closeStat,
  descendantsIn,
  listPids,
  newProcStat,
  openStat,
  readStat,
  readStatFd,
} from './process-tree.js';
import type { ProcStat } from './process-tree.js';
import type { UsageSamples } from './usage.js';

/**
 * Clock ticks per second of the CPU times in /proc/<pid>/stat: USER_HZ, which Linux reports to user space as 100 on
 * every architecture Node runs on (`getconf CLK_TCK`; a constant, so no process is spawned to ask).
 */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Percent of one core used by `deltaTicks` of CPU time over `elapsedMs` of wall time. */
export function cpuPercent(deltaTicks: number, elapsedMs: number): number {
  if (deltaTicks <= 0 || elapsedMs <= 0) return 0;
  return (deltaTicks * 100_000) / (CLOCK_TICKS_PER_SECOND * elapsedMs);
}

/** Percent of one core over a process's whole life, for the first figure of a process seen for the first time. */
export function lifetimeCpuPercent(cpuTicks: number, startTicks: number, uptimeSeconds: number): number {
  const aliveSeconds = uptimeSeconds - startTicks / CLOCK_TICKS_PER_SECOND;
  if (cpuTicks <= 0 || aliveSeconds <= 0) return 0;
  return (cpuTicks / CLOCK_TICKS_PER_SECOND / aliveSeconds) * 100;
}

/** What the /proc measure needs of the system: a port, so it is tested with a fake process table and clock. */
export interface ProcReader {
  /** Every pid that exists now. */
  pids(): number[];
  /** Opens a process's stat, or null when it is gone; a handle never reads another process that reuses the pid. */
  open(pid: number): number | null;
  /** Reads a handle's stat into `into`; false once its process is gone. */
  read(handle: number, into: ProcStat): boolean;
  close(handle: number): void;
  /** Seconds since boot (/proc/uptime). */
  uptime(): number;
  /** Bytes per page, the unit of the rss field. */
  pageSize: number;
}

/** The page size as the kernel counts RSS: Node's own RSS (bytes) over its stat's rss (pages), a power of two. */
function pageSizeFromSelf(): number {
  const stat = newProcStat();
  if (!readStat(process.pid, stat) || stat.rssPages <= 0) return 4096;
  return 2 ** Math.round(Math.log2(process.memoryUsage.rss() / stat.rssPages));
}

/** The real /proc. */
export function procReader(): ProcReader {
  return {
    pids: listPids,
    open: openStat,
    read: readStatFd,
    close: closeStat,
    uptime: () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]),
    pageSize: pageSizeFromSelf(),
  };
}

export interface ProcMeasureOptions {
  reader: ProcReader;
  /** Monotonic time in ms (performance.now); tests pass a simulated one. */
  now: () => number;
  /**
   * A walk reads the parent of new pids only (a running process never moves into an app's tree); every `rereadEvery`
   * walks it reads them all, so a pid the kernel recycled between two walks cannot stay misplaced.
   */
  rereadEvery: number;
  /** A process not read for this many calls is let go (its root left); more than the ticks between two readings. */
  forgetAfterCalls: number;
}

/** One call: the roots to read now (none: nothing runs, nothing is held), and every root when /proc is listed first. */
export interface MeasureRequest {
  read: readonly number[];
  /** Every root, whose children a walk of /proc finds before the reads; null when no walk is due. */
  walk: readonly number[] | null;
}

/** One process of a tree, kept between calls: its open stat file, and its last CPU time to turn into a rate. */
interface Tracked {
  handle: number;
  cpuTicks: number;
  /** When it was last read; NaN before its first reading. */
  at: number;
  /** The call that last saw it; a process not seen in a call is dropped. */
  call: number;
}

/**
 * Measures trees from /proc/<pid>/stat alone: RSS (field 24) and CPU as the change of utime + stime since the previous
 * reading of each process. Each process of a tree keeps its stat file open, so a quiet call costs one read per process
 * and allocates nothing per process; a walk of /proc, when the caller asks, finds the children the apps started.
 */
export function createProcMeasure(options: ProcMeasureOptions): {
  measure: (request: MeasureRequest) => UsageSamples;
  close(): void;
} {
  const { reader, now, rereadEvery, forgetAfterCalls } = options;
  const stat = newProcStat();
  const tracked = new Map<number, Tracked>();
  /** Pid → parent pid of every process at the last walk. */
  let parents = new Map<number, number>();
  /** Root → its descendants as of the last walk, less those gone since. */
  let members = new Map<number, number[]>();
  let calls = 0;
  let walks = 0;
  let at = 0;
  let uptime: number | null = null;
  let cpu = 0;
  let rss = 0;

  const walk = (roots: readonly number[]): void => {
    const everything = walks++ % rereadEvery === 0;
    const listed = new Map<number, number>();
    for (const pid of reader.pids()) {
      const known = everything ? undefined : parents.get(pid);
      if (known !== undefined) {
        listed.set(pid, known);
        continue;
      }
      const handle = reader.open(pid);
      if (handle === null) continue;
      if (reader.read(handle, stat)) listed.set(pid, stat.ppid);
      reader.close(handle);
    }
    parents = listed;
    const children = childrenIndex(parents);
    members = new Map(roots.map((root) => [root, descendantsIn(root, children)]));
    // What is in no tree any more (exited, or its root left) lets go of its file now.
    const inTrees = new Set(roots);
    for (const list of members.values()) for (const pid of list) inTrees.add(pid);
    for (const [pid, entry] of tracked) if (!inTrees.has(pid)) forget(pid, entry);
  };

  const forget = (pid: number, entry: Tracked): void => {
    reader.close(entry.handle);
    tracked.delete(pid);
  };

  /** Adds one process's usage to `cpu` and `rss`; false when it is gone. */
  const add = (pid: number): boolean => {
    let entry = tracked.get(pid);
    if (entry === undefined) {
      const handle = reader.open(pid);
      if (handle === null) return false;
      entry = { handle, cpuTicks: 0, at: Number.NaN, call: calls };
      tracked.set(pid, entry);
    }
    // Through the handle, a pid the kernel gave to a new process reads as gone; the new one gets a handle of its own.
    if (!reader.read(entry.handle, stat)) {
      forget(pid, entry);
      // The next walk reads this pid's parent again, in case the pid now names another process.
      parents.delete(pid);
      return false;
    }
    if (Number.isNaN(entry.at)) {
      uptime ??= reader.uptime();
      cpu += lifetimeCpuPercent(stat.cpuTicks, stat.startTime, uptime);
    } else {
      cpu += cpuPercent(stat.cpuTicks - entry.cpuTicks, at - entry.at);
    }
    entry.cpuTicks = stat.cpuTicks;
    entry.at = at;
    entry.call = calls;
    rss += stat.rssPages * reader.pageSize;
    return true;
  };

  return {
    measure({ read, walk: walkRoots }) {
      if (read.length === 0) {
        // Nothing to measure: nothing is held, and the next app starts from a full walk.
        for (const [pid, entry] of tracked) forget(pid, entry);
        parents = new Map();
        members = new Map();
        calls = 0;
        walks = 0;
        return new Map();
      }
      at = now();
      uptime = null;
      if (walkRoots !== null) walk(walkRoots);
      calls++;
      const samples: UsageSamples = new Map();
      for (const root of read) {
        cpu = 0;
        rss = 0;
        if (!add(root)) {
          samples.set(root, null);
          // Its tree was read for it alone: nothing holds those files open any more (an app restarted gets a new root).
          for (const pid of members.get(root) ?? []) {
            const entry = tracked.get(pid);
            if (entry) forget(pid, entry);
          }
          members.delete(root);
          continue;
        }
        const known = members.get(root);
        if (known) {
          let gone = false;
          for (const pid of known) if (!add(pid)) gone = true;
          if (gone)
            members.set(
              root,
              known.filter((pid) => tracked.has(pid)),
            );
        }
        samples.set(root, { cpu, rss });
      }
      for (const [pid, entry] of tracked) if (calls - entry.call > forgetAfterCalls) forget(pid, entry);
      return samples;
    },
    close() {
      for (const [pid, entry] of tracked) forget(pid, entry);
    },
  };
}
