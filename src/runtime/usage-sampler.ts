import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type pidusage from 'pidusage';
import { childrenIndex, closeStat, descendantsIn, descendantsOf, listPids, listProcesses, newProcStat, openStat, readStat, readStatFd } from './process-tree.js';
import type { ProcStat } from './process-tree.js';

/** CPU (percent of one core, may exceed 100 on several cores) and RSS (bytes) of one process or one tree. */
export interface Usage {
  cpu: number;
  rss: number;
}

/** Root pid → usage of its whole tree, or null when the root could not be sampled (gone). */
export type UsageSamples = Map<number, Usage | null>;

/** Measures the trees of the given roots at one moment. */
export type MeasureFn = (roots: number[]) => UsageSamples | Promise<UsageSamples>;

/** A measure that holds resources between calls (open files, pidusage's timer) until closed. */
export interface TreeMeasure {
  measure: MeasureFn;
  close(): void;
}

/** Measures single pids: pid → usage, or null for a pid that is gone or unreadable. */
export type SampleFn = (pids: number[]) => Promise<Map<number, Usage | null>>;

/** Finds each root's descendants at sampling time. */
export type TreeFn = (roots: number[]) => Map<number, number[]>;

/** The timer the sampler ticks on; tests pass a manual one. */
export interface SamplerClock {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface UsageSamplerOptions {
  intervalMs: number;
  /** Root pids to sample on each tick (the daemon's online processes). */
  pids: () => number[];
  onSample: (samples: UsageSamples) => void;
  /** How trees are measured; by default /proc where there is one, pidusage elsewhere. */
  measure?: TreeMeasure;
  /** Or a pid sampler and a tree finder, combined by `measureWith`. */
  sample?: SampleFn;
  tree?: TreeFn;
  clock?: SamplerClock;
}

export interface UsageSampler {
  start(): void;
  stop(): void;
  /** Samples at once (or joins the run in flight) without calling onSample. */
  sampleNow(): Promise<UsageSamples>;
}

// pidusage: the sampler where there is no /proc (macOS, BSD)

let pidusageModule: Promise<typeof pidusage> | null = null;
let pidusageLoaded: typeof pidusage | null = null;

/** Loaded on first use only: on Linux the daemon never needs it. */
function loadPidusage(): Promise<typeof pidusage> {
  pidusageModule ??= import('pidusage').then((m) => (pidusageLoaded = m.default));
  return pidusageModule;
}

/** pidusage, normalised: a batch gives null for a dead pid and its `err` names an arbitrary pid, so neither is trusted. */
export const sampleWithPidusage: SampleFn = async (pids) => {
  const result = new Map<number, Usage | null>(pids.map((pid) => [pid, null]));
  if (pids.length === 0) return result;
  const measure = await loadPidusage();
  let stats: Record<string, pidusage.Status | null | undefined>;
  try {
    // A copy: pidusage keeps a reference to the array it is given.
    stats = await measure([...pids]);
  } catch {
    // A one-pid batch rejects when that pid is gone; it stays null.
    return result;
  }
  for (const pid of pids) {
    const stat = stats[String(pid)];
    if (stat) result.set(pid, { cpu: stat.cpu, rss: stat.memory });
  }
  return result;
};

/** The descendants of each root from one /proc snapshot. */
export const treesFromProc: TreeFn = (roots) => {
  const table = listProcesses();
  return new Map(roots.map((root) => [root, descendantsOf(root, table)]));
};

/** Without /proc there is no cheap way to find children: each root counts alone. */
const rootsOnly: TreeFn = (roots) => new Map(roots.map((root) => [root, []]));

/** Sums usage over each root's tree, so memory limits and `tend ls` count the children an app starts (PM2 does not). */
export function sumTrees(roots: number[], trees: Map<number, number[]>, stats: Map<number, Usage | null>): UsageSamples {
  const samples: UsageSamples = new Map();
  for (const root of roots) {
    const own = stats.get(root) ?? null;
    if (own === null) {
      samples.set(root, null);
      continue;
    }
    const total = { ...own };
    for (const pid of trees.get(root) ?? []) {
      const child = stats.get(pid);
      if (child) {
        total.cpu += child.cpu;
        total.rss += child.rss;
      }
    }
    samples.set(root, total);
  }
  return samples;
}

/** A tree finder and a pid sampler as one measure: the trees first, then every pid of them in one batch. */
export function measureWith(sample: SampleFn, tree: TreeFn): MeasureFn {
  return async (roots) => {
    const trees = tree(roots);
    const all = new Set(roots);
    for (const list of trees.values()) for (const pid of list) all.add(pid);
    return sumTrees(roots, trees, await sample([...all]));
  };
}

// /proc: one read of each pid's stat per tick (Linux)

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
  return ((cpuTicks / CLOCK_TICKS_PER_SECOND) / aliveSeconds) * 100;
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
  /** /proc is listed on the first call and then every `walkEvery` calls, to find the processes the apps started since. */
  walkEvery: number;
  /**
   * A walk reads the parent of new pids only (a running process never moves into an app's tree); every `rereadEvery`
   * walks it reads them all, so a pid the kernel recycled between two walks cannot stay misplaced.
   */
  rereadEvery: number;
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
 * call. Each process of a tree keeps its stat file open, so a quiet call costs one read per process and allocates
 * nothing per process; a walk of /proc every few calls finds the children an app started.
 */
export function createProcMeasure(options: ProcMeasureOptions): { measure: (roots: number[]) => UsageSamples; close(): void } {
  const { reader, now, walkEvery, rereadEvery } = options;
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

  const walk = (roots: number[]): void => {
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
    measure(roots) {
      if (roots.length === 0) {
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
      if (calls % walkEvery === 0) walk(roots);
      calls++;
      const samples: UsageSamples = new Map();
      for (const root of roots) {
        cpu = 0;
        rss = 0;
        if (!add(root)) {
          samples.set(root, null);
          continue;
        }
        const known = members.get(root);
        if (known) {
          let gone = false;
          for (const pid of known) if (!add(pid)) gone = true;
          if (gone) members.set(root, known.filter((pid) => tracked.has(pid)));
        }
        samples.set(root, { cpu, rss });
      }
      for (const [pid, entry] of tracked) if (entry.call !== calls) forget(pid, entry);
      if (members.size > roots.length) for (const root of members.keys()) if (!samples.has(root)) members.delete(root);
      return samples;
    },
    close() {
      for (const [pid, entry] of tracked) forget(pid, entry);
    },
  };
}

/** How often the sampler lists /proc for new children of the apps (ticks): a child is counted within this many seconds. */
const WALK_EVERY_TICKS = 3;
/** Every how many walks each process's parent is read again rather than remembered. */
const REREAD_EVERY_WALKS = 10;

function defaultMeasure(): TreeMeasure {
  if (existsSync('/proc/self/stat')) {
    return createProcMeasure({ reader: procReader(), now: () => performance.now(), walkEvery: WALK_EVERY_TICKS, rereadEvery: REREAD_EVERY_WALKS });
  }
  return { measure: measureWith(sampleWithPidusage, rootsOnly), close: () => pidusageLoaded?.clear() };
}

// the sampler

const realClock: SamplerClock = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Samples the CPU and RSS of every managed tree on an interval, one run at a time, for memory limits and `tend ls`. */
export function createUsageSampler(options: UsageSamplerOptions): UsageSampler {
  const { measure, close } =
    options.measure ??
    (options.sample || options.tree
      ? { measure: measureWith(options.sample ?? sampleWithPidusage, options.tree ?? treesFromProc), close: () => undefined }
      : defaultMeasure());
  const clock = options.clock ?? realClock;
  let handle: unknown = null;
  let inFlight: Promise<UsageSamples> | null = null;

  const run = (): Promise<UsageSamples> => {
    if (inFlight) return inFlight;
    const current = (async () => measure([...new Set(options.pids())]))();
    inFlight = current;
    const clear = (): void => {
      if (inFlight === current) inFlight = null;
    };
    current.then(clear, clear);
    return current;
  };

  const tick = (): void => {
    // A slow run (a loaded machine, many pids) is not stacked on: this tick is skipped.
    if (inFlight) return;
    run().then(
      (samples) => {
        if (handle !== null) options.onSample(samples);
      },
      (error: unknown) => {
        // Rethrown outside the promise so a bug in sampling or in onSample is never silently lost.
        queueMicrotask(() => {
          throw error;
        });
      },
    );
  };

  return {
    start() {
      if (handle === null) handle = clock.setInterval(tick, options.intervalMs);
    },
    stop() {
      if (handle !== null) clock.clearInterval(handle);
      handle = null;
      close();
      // pidusage's history cleaner is an interval that would keep the process alive (soyuka/pidusage#91).
      pidusageLoaded?.clear();
    },
    sampleNow: run,
  };
}
