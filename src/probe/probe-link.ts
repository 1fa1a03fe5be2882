// The probe's working part, started by the preload once the app is up: the runtime's figures and the app's own,
// reported over `probe.sock`, and actions run for `tend trigger`.
import { join } from 'node:path';
import { defaults } from '../core/defaults.js';
import type { CustomMetrics } from './custom-metrics.js';
import { ProbeClient } from './probe-client.js';
import { PROBE_SOCKET_NAME } from './protocol.js';
import { startRuntimeMetrics } from './runtime-metrics.js';

export interface ProbeLink {
  /** Tells the daemon about actions registered after the hello. */
  actionsChanged(): void;
}

export function startProbeLink(home: string, id: number, custom: CustomMetrics): ProbeLink {
  const runtime = startRuntimeMetrics();
  return new ProbeClient({
    socketPath: join(home, PROBE_SOCKET_NAME),
    id,
    pid: process.pid,
    intervalMs: defaults.probeIntervalMs,
    reconnectMinMs: defaults.probeReconnectMinMs,
    reconnectMaxMs: defaults.probeReconnectMaxMs,
    maxBufferedBytes: 64 * 1024,
    collect: () => {
      const metrics = runtime.collect();
      for (const [name, value] of Object.entries(custom.collect())) metrics[`custom.${name}`] = value;
      return metrics;
    },
    actionNames: () => custom.actionNames(),
    run: (action, arg) => custom.run(action, arg),
    // Loaded only when asked: node:inspector costs nothing until then.
    profile: async (kind, ms, file) => (await import('./profiler.js')).takeProfile(kind, ms, file),
    inspect: async (open) => (await import('./profiler.js')).setInspector(open),
  });
}
