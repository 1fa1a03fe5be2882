// Preloaded into every Node app tend starts (`node --require <dist>/probe.cjs app.js`): reports the runtime's
// figures and the app's own metrics to the daemon every second over `probe.sock`, and runs actions for
// `tend trigger`. It changes nothing in the app, keeps nothing alive and swallows its own failures.
//
// At preload it only installs the global the `tend/probe` module forwards to, so an app can register metrics and
// actions from its first line. Measuring and the link to the daemon start `probeStartDelayMs` later: probe-link.ts is
// a file of its own in dist/ (scripts/build.mjs), so its code and node:net, perf_hooks and v8 load only then.
import { defaults } from '../core/defaults.js';
import { CustomMetrics } from './custom-metrics.js';
import { PROBE_GLOBAL } from './global.js';
import type { ProbeLink } from './probe-link.js';

function install(): void {
  const home = process.env.TEND_HOME;
  const id = Number(process.env.TEND_ID);
  const slot = globalThis as Record<symbol, unknown>;
  // Outside tend (the flag copied by hand) or loaded twice: stay out of the way.
  if (!home || !Number.isSafeInteger(id) || slot[PROBE_GLOBAL] !== undefined) return;
  let link: ProbeLink | null = null;
  const custom = new CustomMetrics(() => link?.actionsChanged());
  slot[PROBE_GLOBAL] = custom;
  const start = setTimeout(() => {
    import('./probe-link.js')
      .then(({ startProbeLink }) => {
        link = startProbeLink(home, id, custom);
      })
      .catch(() => undefined);
  }, defaults.probeStartDelayMs);
  start.unref();
}

try {
  install();
} catch {
  // The app starts whatever happens to its probe.
}
