import type { ProcessView } from '../api/methods.js';
import { PROCESS_STATUSES } from '../supervisor/status.js';
import type { MetricSample } from './prometheus.js';
import { type MetricSource, processLabels } from './source.js';

function perProcess(processes: ProcessView[], value: (p: ProcessView) => number): MetricSample[] {
  return processes.map((p) => ({ labels: processLabels(p), value: value(p) }));
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
        PROCESS_STATUSES.map((status) => ({
          labels: { ...processLabels(p), status },
          value: p.status === status ? 1 : 0,
        })),
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
