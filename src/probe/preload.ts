// Preloaded into every Node app tend starts (`node --require <dist>/probe.cjs app.js`): reports the runtime's
// figures and the app's own metrics to the daemon every second over `probe.sock`, and runs actions for
// `tend trigger`. It changes nothing in the app, keeps nothing alive and swallows its own failures.
import { join } from 'node:path';
import { defaults } from '../core/defaults.js';
import { CustomMetrics } from './custom-metrics.js';
import { PROBE_GLOBAL } from './global.js';
import { ProbeClient } from './probe-client.js';
import { PROBE_SOCKET_NAME } from './protocol.js';
import { startRuntimeMetrics } from './runtime-metrics.js';

function install(): void {
  const home = process.env.TEND_HOME;
  const id = Number(process.env.TEND_ID);
  const slot = globalThis as Record<symbol, unknown>;
  // Outside tend (the flag copied by hand) or loaded twice: stay out of the way.
  if (!home || !Number.isSafeInteger(id) || slot[PROBE_GLOBAL] !== undefined) return;
  let client: ProbeClient | null = null;
  const custom = new CustomMetrics(() => client?.actionsChanged());
  slot[PROBE_GLOBAL] = custom;
  const runtime = startRuntimeMetrics();
  client = new ProbeClient({
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
  });
}

try {
  install();
} catch {
  // The app starts whatever happens to its probe.
}
