import pidusage from 'pidusage';
import { descendantsOf, listProcesses } from './process-tree.js';

/** CPU (percent of one core, may exceed 100 on several cores) and RSS (bytes) of one process or one tree. */
export interface Usage {
  cpu: number;
  rss: number;
}

/** Root pid → usage of its whole tree, or null when the root could not be sampled (gone). */
export type UsageSamples = Map<number, Usage | null>;

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

/** pidusage, normalised: a batch gives null for a dead pid and its `err` names an arbitrary pid, so neither is trusted. */
export const sampleWithPidusage: SampleFn = async (pids) => {
  const result = new Map<number, Usage | null>(pids.map((pid) => [pid, null]));
  if (pids.length === 0) return result;
  let stats: Record<string, pidusage.Status | null | undefined>;
  try {
    // A copy: pidusage keeps a reference to the array it is given.
    stats = await pidusage([...pids]);
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

const realClock: SamplerClock = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

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

/** Samples the CPU and RSS of every managed tree on an interval, one run at a time, for memory limits and `tend ls`. */
export function createUsageSampler(options: UsageSamplerOptions): UsageSampler {
  const sample = options.sample ?? sampleWithPidusage;
  const tree = options.tree ?? treesFromProc;
  const clock = options.clock ?? realClock;
  let handle: unknown = null;
  let inFlight: Promise<UsageSamples> | null = null;

  const run = (): Promise<UsageSamples> => {
    if (inFlight) return inFlight;
    const current = (async () => {
      const roots = [...new Set(options.pids())];
      const trees = tree(roots);
      const all = new Set(roots);
      for (const list of trees.values()) for (const pid of list) all.add(pid);
      return sumTrees(roots, trees, await sample([...all]));
    })();
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
      // pidusage's history cleaner is an interval that would keep the process alive (soyuka/pidusage#91).
      if (!options.sample) pidusage.clear();
    },
    sampleNow: run,
  };
}
