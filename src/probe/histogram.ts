/** What a histogram reports for one interval. */
export interface HistogramSummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The values observed during one interval, for percentiles. Memory stays bounded whatever the rate:
 * past `capacity` values a uniform sample is kept (reservoir sampling), while count and max stay exact.
 */
export class IntervalHistogram {
  private values: number[] = [];
  private count = 0;
  private max = -Infinity;

  constructor(
    private readonly capacity = 1024,
    /** Injected so tests can make the sampling deterministic. */
    private readonly random: () => number = Math.random,
  ) {}

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    this.count += 1;
    if (value > this.max) this.max = value;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    const slot = Math.floor(this.random() * this.count);
    if (slot < this.capacity) this.values[slot] = value;
  }

  /** The summary of the interval so far, and a fresh start for the next one; null when nothing was observed. */
  takeSummary(): HistogramSummary | null {
    if (this.count === 0) return null;
    const sorted = this.values.sort((a, b) => a - b);
    const summary = {
      count: this.count,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: this.max,
    };
    this.values = [];
    this.count = 0;
    this.max = -Infinity;
    return summary;
  }
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
