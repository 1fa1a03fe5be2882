import { existsSync } from 'node:fs';
import type pidusage from 'pidusage';
import { descendantsOf, listProcesses } from './process-tree.js';
import { createProcMeasure, procReader } from './proc-usage.js';
import type { MeasureRequest } from './proc-usage.js';
import { SampleSchedule } from './sample-schedule.js';
import type { SampleRoot, SampleScheduleOptions } from './sample-schedule.js';
import type { Usage, UsageSamples } from './usage.js';

/** Measures the trees of the roots a tick reads, at one moment. */
export type MeasureFn = (request: MeasureRequest) => UsageSamples | Promise<UsageSamples>;

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
  /** The roots to sample (the daemon's online processes), each once; `everyTick` for those with a memory limit. */
  roots: () => readonly SampleRoot[];
  /** Receives the roots read on a tick: the others keep their last figures. */
  onSample: (samples: UsageSamples) => void;
  /** Which roots a tick reads, and how often /proc is listed; by default every root and /proc every tick. */
  schedule?: SampleScheduleOptions;
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
  /** Samples every root at once (or joins the run in flight) without calling onSample. */
  sampleNow(): Promise<UsageSamples>;
  /** Someone reads the figures (`list`, `show`, monit, the dashboard): every root is read for the next few ticks. */
  look(): void;
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
export function sumTrees(
  roots: number[],
  trees: Map<number, number[]>,
  stats: Map<number, Usage | null>,
): UsageSamples {
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
  return async ({ read }) => {
    const roots = [...read];
    const trees = tree(roots);
    const all = new Set(roots);
    for (const list of trees.values()) for (const pid of list) all.add(pid);
    return sumTrees(roots, trees, await sample([...all]));
  };
}

/** Every how many walks each process's parent is read again rather than remembered. */
const REREAD_EVERY_WALKS = 10;

/** Monotonic milliseconds, as performance.now() gives, without loading perf_hooks into the daemon (0.8 MiB of RSS). */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function defaultMeasure(schedule: SampleScheduleOptions): TreeMeasure {
  if (existsSync('/proc/self/stat')) {
    return createProcMeasure({
      reader: procReader(),
      now: monotonicMs,
      rereadEvery: REREAD_EVERY_WALKS,
      // A root waits at most `roundTicks` between two readings: its open stat file is kept over that gap.
      forgetAfterCalls: 2 * schedule.roundTicks + 1,
    });
  }
  return { measure: measureWith(sampleWithPidusage, rootsOnly), close: () => pidusageLoaded?.clear() };
}

// the sampler

const realClock: SamplerClock = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Every root every tick, /proc every tick: what a sampler does when it is given no schedule. */
const EVERY_TICK: SampleScheduleOptions = {
  minPerTick: Number.POSITIVE_INFINITY,
  roundTicks: 1,
  lookTicks: 0,
  walkEveryTicks: 1,
  idleWalkEveryTicks: 1,
};

/** Samples the CPU and RSS of every managed tree on an interval, one run at a time, for memory limits and `tend ls`. */
export function createUsageSampler(options: UsageSamplerOptions): UsageSampler {
  const scheduleOptions = options.schedule ?? EVERY_TICK;
  const { measure, close } =
    options.measure ??
    (options.sample || options.tree
      ? {
          measure: measureWith(options.sample ?? sampleWithPidusage, options.tree ?? treesFromProc),
          close: () => undefined,
        }
      : defaultMeasure(scheduleOptions));
  const schedule = new SampleSchedule(scheduleOptions);
  const clock = options.clock ?? realClock;
  let handle: unknown = null;
  let inFlight: Promise<UsageSamples> | null = null;

  const run = (): Promise<UsageSamples> => {
    if (inFlight) return inFlight;
    const roots = options.roots();
    const { read, walk } = schedule.next(roots);
    const request = { read, walk: walk ? roots.map((root) => root.pid) : null };
    const current = (async () => measure(request))();
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
    sampleNow: () => {
      schedule.look();
      return run();
    },
    look: () => schedule.look(),
  };
}
