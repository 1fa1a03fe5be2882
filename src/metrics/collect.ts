import { appMetrics } from './app-metrics.js';
import { processMetrics } from './process-metrics.js';
import type { MetricFamily } from './prometheus.js';
import type { MetricContext, MetricSource } from './source.js';

/** Every source `/metrics` reads, in order: the daemon's own per-process families, then the in-app probes'. */
export const metricSources: MetricSource[] = [processMetrics, appMetrics];

/** The families of every source for one scrape. */
export function collectMetrics(context: MetricContext, sources: MetricSource[] = metricSources): MetricFamily[] {
  return sources.flatMap((source) => source(context));
}
