import type { ProcessView } from '../api/methods.js';
import type { MetricFamily } from './prometheus.js';

/** What a metric source can read for one scrape. */
export interface MetricContext {
  processes: ProcessView[];
}

/** A producer of metric families; `/metrics` concatenates the families of every source in `metricSources`. */
export type MetricSource = (context: MetricContext) => MetricFamily[];

/** The labels that tell one process from another in every per-process family. */
export function processLabels(p: ProcessView): Record<string, string> {
  return { app: p.name, instance: String(p.instance), id: String(p.id) };
}
