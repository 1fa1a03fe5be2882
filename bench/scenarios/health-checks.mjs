// 14. What readiness and liveness checks cost the daemon (tend only: PM2 has no such checks). The same N HTTP apps run
// in one tend session, with an http `ready:` and `health:` every second each, then applied again without them (an
// update in place: the apps keep running); the daemon's CPU over the same window, without checks, is the floor.
import { freePort, waitHttp } from '../lib/load.mjs';
import { cpuPercentOver, sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

/** Time after an apply before the window opens: the apply's own work is not what is measured. */
const SETTLE_MS = 2000;

export const scenario = {
  id: 'checks',
  tools: ['tend'],
  rows: [
    {
      key: 'checks-cpu',
      title: (sizes) =>
        `daemon CPU, ${sizes.daemonApps} HTTP apps with an http ready and health check every 1 s, over ${sizes.cpuWindowMs / 1000} s`,
      unit: '%',
      floorLabel: 'same apps, no checks',
      goal: { text: '≤ floor + 2 % of a core', target: (m) => m.floor + 2 },
    },
  ],
  async run(_tool, ctx) {
    return withSession('tend', ctx, async (s) => {
      // Distinct: the kernel may hand out a port again once it was closed, and two apps on one port fail to start.
      const distinct = new Set();
      while (distinct.size < ctx.sizes.daemonApps) distinct.add(await freePort());
      const ports = [...distinct];
      const check = (port) => ({ http: { port, path: '/' }, interval: '1s' });
      const apps = (withChecks) =>
        ports.map((port, i) => ({
          name: `web-${i}`,
          script: ctx.app('http.js'),
          env: ctx.appEnv({ PORT: String(port) }),
          // 100 Node apps starting at once on two busy cores take a while; that start is not what is measured.
          listen_timeout: 60_000,
          ...(withChecks ? { ready: check(port), health: check(port) } : {}),
        }));
      // One project: the two files name the same apps, and each apply takes them from the other.
      const checked = writeEcosystem(s.work, apps(true), 'checked.config.js', { project: 'checks' });
      const bare = writeEcosystem(s.work, apps(false), 'bare.config.js', { project: 'checks' });
      await s.startAll(bare, ports.length, { timeoutMs: 180_000 });
      for (const port of ports) await waitHttp(port);
      const pid = s.daemonPid();
      if (!pid) throw new Error('no daemon pid file');
      const out = { with: [], without: [] };
      // Both orders over two windows, so neither side always runs on a warmer daemon.
      for (const side of ['without', 'with', 'with', 'without']) {
        await s.ok(['apply', side === 'with' ? checked : bare], { timeoutMs: 60_000 });
        await sleep(SETTLE_MS);
        out[side].push(await cpuPercentOver(pid, ctx.sizes.cpuWindowMs / 2));
      }
      const restarted = (await s.list()).filter((p) => p.restarts > 0).map((p) => p.name);
      if (restarted.length > 0) throw new Error(`apps restarted while measured: ${restarted.join(', ')}`);
      return { 'checks-cpu': out.with, floor: { 'checks-cpu': out.without } };
    });
  },
};
