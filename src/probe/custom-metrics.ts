import type { ActionHandler, Counter, Gauge, Histogram, ProbeApi } from './global.js';
import { IntervalHistogram } from './histogram.js';

type GaugeEntry = { kind: 'gauge'; value: number | null; read: (() => number) | undefined; handle: Gauge };
type CounterEntry = { kind: 'counter'; value: number; handle: Counter };
type HistogramEntry = { kind: 'histogram'; histogram: IntervalHistogram; handle: Histogram };
type Entry = GaugeEntry | CounterEntry | HistogramEntry;

/** How many custom metrics one process may have: a name built from user input must not grow the report without end. */
const MAX_METRICS = 200;

/**
 * The app's own metrics and actions, behind the API the preload installs. Asking twice for one name gives the
 * same handle; asking for another kind under a taken name replaces it (never throws: the app must not break).
 */
export class CustomMetrics implements ProbeApi {
  private readonly entries = new Map<string, Entry>();
  private readonly actions = new Map<string, ActionHandler>();

  constructor(private readonly onActionsChanged: (names: string[]) => void = () => undefined) {}

  metric(name: string, read?: () => number): Gauge {
    const existing = this.entries.get(name);
    if (existing?.kind === 'gauge') {
      if (read) existing.read = read;
      return existing.handle;
    }
    const entry: GaugeEntry = {
      kind: 'gauge',
      value: null,
      read,
      handle: {
        set: (value) => {
          entry.value = Number(value);
        },
      },
    };
    this.put(name, entry);
    return entry.handle;
  }

  counter(name: string): Counter {
    const existing = this.entries.get(name);
    if (existing?.kind === 'counter') return existing.handle;
    const entry: CounterEntry = {
      kind: 'counter',
      value: 0,
      handle: {
        inc: (by = 1) => {
          entry.value += finiteOr(by, 0);
        },
        dec: (by = 1) => {
          entry.value -= finiteOr(by, 0);
        },
        reset: () => {
          entry.value = 0;
        },
      },
    };
    this.put(name, entry);
    return entry.handle;
  }

  histogram(name: string): Histogram {
    const existing = this.entries.get(name);
    if (existing?.kind === 'histogram') return existing.handle;
    const histogram = new IntervalHistogram();
    const entry: HistogramEntry = {
      kind: 'histogram',
      histogram,
      handle: { observe: (value) => histogram.observe(Number(value)) },
    };
    this.put(name, entry);
    return entry.handle;
  }

  action(name: string, handler: ActionHandler): void {
    this.actions.set(name, handler);
    this.onActionsChanged(this.actionNames());
  }

  actionNames(): string[] {
    return [...this.actions.keys()];
  }

  /** Runs one action for `tend trigger`; a missing action is told apart from one that failed. */
  async run(
    name: string,
    arg: string | undefined,
  ): Promise<{ ok: true; answer: unknown } | { ok: false; error: string; missing?: boolean }> {
    const handler = this.actions.get(name);
    if (!handler)
      return {
        ok: false,
        error: `no action named \`${name}\`${this.actions.size ? `; this process has ${this.actionNames().join(', ')}` : ''}`,
        missing: true,
      };
    try {
      return { ok: true, answer: await handler(arg) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The values of this interval, flat (`name`, or `name.p50` … for histograms); histograms start a new interval. */
  collect(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, entry] of this.entries) {
      switch (entry.kind) {
        case 'gauge': {
          let value = entry.value;
          if (entry.read) {
            try {
              value = Number(entry.read());
            } catch {
              value = null;
            }
          }
          if (value !== null && Number.isFinite(value)) out[name] = value;
          break;
        }
        case 'counter':
          out[name] = entry.value;
          break;
        case 'histogram': {
          const summary = entry.histogram.takeSummary();
          out[`${name}.count`] = summary?.count ?? 0;
          if (summary) {
            out[`${name}.p50`] = summary.p50;
            out[`${name}.p95`] = summary.p95;
            out[`${name}.p99`] = summary.p99;
            out[`${name}.max`] = summary.max;
          }
          break;
        }
      }
    }
    return out;
  }

  // Past the limit a new name still gets a working handle; it is just not reported.
  private put(name: string, entry: Entry): void {
    if (!this.entries.has(name) && this.entries.size >= MAX_METRICS) return;
    this.entries.set(name, entry);
  }
}

function finiteOr(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
