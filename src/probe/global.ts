/**
 * The contract between the public module (`tend/probe`) and the preload. The preload installs an object
 * under this symbol; the module only forwards to it, so two copies of the module (ESM and CommonJS, or
 * two versions of tend) still reach the one probe, and without the preload nothing happens at all.
 */
export const PROBE_GLOBAL = Symbol.for('tend.probe');

/** A value read or set by the app, reported as is. */
export interface Gauge {
  set(value: number): void;
}

/** A running total since the process started. */
export interface Counter {
  inc(by?: number): void;
  dec(by?: number): void;
  reset(): void;
}

/** Values whose spread matters (latencies): count, p50, p95, p99 and max are reported per interval. */
export interface Histogram {
  observe(value: number): void;
}

/** Answers `tend trigger <app> <name> [arg]`; what it returns (or throws) is printed for each instance. */
export type ActionHandler = (arg: string | undefined) => unknown;

/** What the preload installs under PROBE_GLOBAL. */
export interface ProbeApi {
  metric(name: string, read?: () => number): Gauge;
  counter(name: string): Counter;
  histogram(name: string): Histogram;
  action(name: string, handler: ActionHandler): void;
}
