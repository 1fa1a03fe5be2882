// The public module apps import (`import { metric } from 'tend/probe'`): a thin shim over the preload's
// global. Outside tend (no preload) every call is a cheap no-op, so the app runs unchanged anywhere.
import { PROBE_GLOBAL, type ActionHandler, type Counter, type Gauge, type Histogram, type ProbeApi } from './global.js';

export type { ActionHandler, Counter, Gauge, Histogram } from './global.js';

const noGauge: Gauge = { set: () => undefined };
const noCounter: Counter = { inc: () => undefined, dec: () => undefined, reset: () => undefined };
const noHistogram: Histogram = { observe: () => undefined };

function probe(): ProbeApi | undefined {
  return (globalThis as Record<symbol, ProbeApi | undefined>)[PROBE_GLOBAL];
}

// The same check in and out of tend, so a bad name fails on a developer's machine too, not only in production.
function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '')
    throw new TypeError(`tend/probe: ${what} needs a non-empty name; got ${JSON.stringify(name)}`);
}

/** A gauge: `metric('queue', () => queue.length)` is read every second; `metric('temp').set(21.5)` keeps the last value. */
export function metric(name: string, read?: () => number): Gauge {
  checkName(name, 'metric()');
  if (read !== undefined && typeof read !== 'function')
    throw new TypeError('tend/probe: metric() takes a function that returns the value');
  return probe()?.metric(name, read) ?? noGauge;
}

/** A running total: `counter('jobs').inc()`. */
export function counter(name: string): Counter {
  checkName(name, 'counter()');
  return probe()?.counter(name) ?? noCounter;
}

/** Latencies and sizes: `histogram('db_ms').observe(12.5)` reports count, p50, p95, p99 and max every second. */
export function histogram(name: string): Histogram {
  checkName(name, 'histogram()');
  return probe()?.histogram(name) ?? noHistogram;
}

/** An operation `tend trigger <app> <name> [arg]` runs in every instance; its result is printed. */
export function action(name: string, handler: ActionHandler): void {
  checkName(name, 'action()');
  if (typeof handler !== 'function') throw new TypeError('tend/probe: action() takes a function');
  probe()?.action(name, handler);
}

/** Whether this process runs under tend with its probe (for apps that want to log it). */
export function isProbed(): boolean {
  return probe() !== undefined;
}
