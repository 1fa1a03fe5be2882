// 14. What readiness and liveness checks cost the daemon (tend only: PM2 has no such checks). The same N HTTP apps run
// in one tend session, with an http `ready:` and `health:` every second each, then applied again without them (an
// update in place: the apps keep running); the daemon's CPU over the same window, without checks, is the floor.
import { execFileSync } from 'node:child_process';
import { freePort, waitHttp } from '../lib/load.mjs';
import { cpuTicks, nowMs, sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** Time after an apply before the window opens: the apply's own work is not what is measured. */
const SETTLE_MS = 2000;

/** The daemon's CPU, in % of one core, over `ms`. */
async function daemonCpu(pid, ms) {
  const t0 = nowMs();
  const ticks0 = cpuTicks(pid);
  await sleep(ms);
  return ((cpuTicks(pid) - ticks0) / CLK_TCK / ((nowMs() - t0) / 1000)) * 100;
}

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
      const ports = [];
      for (let i = 0; i < ctx.sizes.daemonApps; i++) ports.push(await freePort());
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
        out[side].push(await daemonCpu(pid, ctx.sizes.cpuWindowMs / 2));
      }
      const restarted = (await s.list()).filter((p) => p.restarts > 0).map((p) => p.name);
      if (restarted.length > 0) throw new Error(`apps restarted while measured: ${restarted.join(', ')}`);
      return { 'checks-cpu': out.with, floor: { 'checks-cpu': out.without } };
    });
  },
};
