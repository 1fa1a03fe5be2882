import type { ProcessView } from '../daemon/api.js';
import { appMetrics } from '../probe/metric-source.js';
import { PROCESS_STATUSES } from '../supervisor/status.js';
import type { MetricFamily, MetricSample } from './prometheus.js';

/** What a metric source can read; the in-app probe will add its own fields (event-loop delay, custom metrics). */
export interface MetricContext {
  processes: ProcessView[];
}

/**
 * A producer of metric families. `/metrics` concatenates every source in `metricSources`:
 * the in-app probe adds its event-loop and custom-metric sources there, nothing else changes.
 */
export type MetricSource = (context: MetricContext) => MetricFamily[];

function labelsOf(p: ProcessView): Record<string, string> {
  return { app: p.name, instance: String(p.instance), id: String(p.id) };
}

function perProcess(processes: ProcessView[], value: (p: ProcessView) => number): MetricSample[] {
  return processes.map((p) => ({ labels: labelsOf(p), value: value(p) }));
}

/** The per-process families every tend exposes: up, status, restarts, uptime, CPU, memory. */
export const processMetrics: MetricSource = ({ processes }) => {
  const online = (p: ProcessView): boolean => p.status === 'online';
  return [
    {
      name: 'tend_process_up',
      help: '1 when the process is online, else 0.',
      type: 'gauge',
      samples: perProcess(processes, (p) => (online(p) ? 1 : 0)),
    },
    {
      name: 'tend_process_status',
      help: 'The process state: 1 for the current status, 0 for the others.',
      type: 'gauge',
      samples: processes.flatMap((p) =>
        PROCESS_STATUSES.map((status) => ({ labels: { ...labelsOf(p), status }, value: p.status === status ? 1 : 0 })),
      ),
    },
    {
      name: 'tend_process_restarts_total',
      help: 'Restarts since the process was created.',
      type: 'counter',
      samples: perProcess(processes, (p) => p.restarts),
    },
    {
      name: 'tend_process_uptime_seconds',
      help: 'Seconds since the process came online; 0 when it is not online.',
      type: 'gauge',
      samples: perProcess(processes, (p) => p.uptime_ms / 1000),
    },
    {
      name: 'tend_process_cpu_percent',
      help: 'CPU use of the process in percent of one core; 0 when it is not online.',
      type: 'gauge',
      samples: perProcess(processes, (p) => (online(p) ? p.cpu : 0)),
    },
    {
      name: 'tend_process_memory_bytes',
      help: 'Resident memory of the process in bytes; 0 when it is not online.',
      type: 'gauge',
      samples: perProcess(processes, (p) => (online(p) ? p.memory : 0)),
    },
  ];
};

/** Every source `/metrics` reads, in order. Extension point: the probe's sources go here. */
export const metricSources: MetricSource[] = [processMetrics, appMetrics];

/** The families of every source for one scrape. */
export function collectMetrics(context: MetricContext, sources: MetricSource[] = metricSources): MetricFamily[] {
  return sources.flatMap((source) => source(context));
}
