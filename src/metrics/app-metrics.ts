import type { ProcessView } from '../api/methods.js';
import { type MetricFamily, type MetricSample, sanitizeMetricName } from './prometheus.js';
import { type MetricSource, processLabels } from './source.js';

type Labels = Record<string, string>;

/** The runtime figures the probe reports, as Prometheus families in base units (seconds, bytes). */
const RUNTIME_FAMILIES: Array<{
  name: string;
  help: string;
  samples: (m: Record<string, number>) => Array<{ labels?: Labels; value: number | undefined }>;
}> = [
  {
    name: 'tend_app_event_loop_delay_seconds',
    help: 'Event-loop delay of a Node.js app over the last second, by quantile (quantile 1 is the maximum).',
    samples: (m) => [
      { labels: { quantile: '0.5' }, value: seconds(m.event_loop_delay_p50_ms) },
      { labels: { quantile: '0.99' }, value: seconds(m.event_loop_delay_p99_ms) },
      { labels: { quantile: '1' }, value: seconds(m.event_loop_delay_max_ms) },
    ],
  },
  {
    name: 'tend_app_heap_used_bytes',
    help: 'V8 heap in use by a Node.js app.',
    samples: (m) => [{ value: m.heap_used_bytes }],
  },
  {
    name: 'tend_app_heap_total_bytes',
    help: 'V8 heap reserved by a Node.js app.',
    samples: (m) => [{ value: m.heap_total_bytes }],
  },
  {
    name: 'tend_app_active_handles',
    help: "Handles keeping a Node.js app's event loop alive (sockets, servers, timers).",
    samples: (m) => [{ value: m.active_handles }],
  },
  {
    name: 'tend_app_active_requests',
    help: 'Operations in flight in a Node.js app (file system, DNS, writes).',
    samples: (m) => [{ value: m.active_requests }],
  },
  {
    name: 'tend_app_gc_seconds',
    help: 'Time a Node.js app spent in garbage collection during the last second.',
    samples: (m) => [{ value: seconds(m.gc_ms) }],
  },
];

function seconds(ms: number | undefined): number | undefined {
  // Through whole microseconds, so the text shows 0.000117, not 0.00011700000000000001.
  return ms === undefined ? undefined : Math.round(ms * 1000) / 1e6;
}

const CUSTOM_PREFIX = 'custom.';

/**
 * `/metrics` families from the in-app probes: the runtime's figures as `tend_app_*`, and each custom metric
 * as a `tend_custom_<name>` gauge (histograms as `<name>_p50` … `<name>_count`). Names that sanitise to
 * the same family are merged, one sample per process, so a scrape never names a family twice.
 */
export const appMetrics: MetricSource = ({ processes }) => {
  const probed = processes.filter(
    (p): p is ProcessView & { metrics: Record<string, number> } => !!p.metrics && p.status === 'online',
  );
  const families: MetricFamily[] = [];
  for (const family of RUNTIME_FAMILIES) {
    const samples: MetricSample[] = [];
    for (const p of probed) {
      for (const s of family.samples(p.metrics))
        if (s.value !== undefined) samples.push({ labels: { ...processLabels(p), ...s.labels }, value: s.value });
    }
    if (samples.length > 0) families.push({ name: family.name, help: family.help, type: 'gauge', samples });
  }
  const custom = new Map<string, { samples: MetricSample[]; seen: Set<number> }>();
  for (const p of probed) {
    for (const [key, value] of Object.entries(p.metrics)) {
      if (!key.startsWith(CUSTOM_PREFIX)) continue;
      const name = `tend_custom_${sanitizeMetricName(key.slice(CUSTOM_PREFIX.length))}`.replace(/__+/g, '_');
      let entry = custom.get(name);
      if (!entry) {
        entry = { samples: [], seen: new Set() };
        custom.set(name, entry);
      }
      if (entry.seen.has(p.id)) continue;
      entry.seen.add(p.id);
      entry.samples.push({ labels: processLabels(p), value });
    }
  }
  for (const [name, { samples }] of custom)
    families.push({ name, help: 'A metric the app reports with tend/probe.', type: 'gauge', samples });
  return families;
};
