// 12. What the in-app probe costs an HTTP app (tend only: PM2 preloads no agent unless asked). The same http.js runs
// twice in one tend session, once as it always does and once with `probe: false`; each round loads one then the
// other (the order swapped every round), so both sides see the same machine. The probe-less side is the floor.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { failedRequests, freePort, loadFor, waitHttp } from '../lib/load.mjs';
import { cpuTicks } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

/** One app process takes the load: a few connections keep it busy without queueing in the generator. */
const CONNECTIONS = 10;
const WARMUP_MS = 1000;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const floorLabel = 'same app, `probe: false`';

/** Requests per second, and the app's own CPU time per 1,000 requests (steadier than req/s when other work shares the cores). */
async function measure(port, pid, ms) {
  const ticks = cpuTicks(pid);
  const result = await loadFor(port, CONNECTIONS, ms);
  const cpuMs = ((cpuTicks(pid) - ticks) / CLK_TCK) * 1000;
  if (failedRequests(result) > 0) throw new Error(`${failedRequests(result)} requests failed under plain load`);
  return { rps: result.requests.total / (ms / 1000), cpu: (cpuMs / result.requests.total) * 1000 };
}

/** The comparison means nothing unless exactly one side runs with the probe: read each process's own command line. */
function hasProbe(pid) {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .some((arg) => /\/probe\.cjs$/.test(arg));
}

export const scenario = {
  id: 'probe',
  tools: ['tend'],
  rows: [
    {
      key: 'probe',
      title: `fork req/s with the in-app probe, 1 instance, ${CONNECTIONS} connections`,
      unit: 'req/s',
      higherIsBetter: true,
      floorLabel,
      goal: { text: '≥ 0.98× floor (overhead < 2 %)', target: (m) => 0.98 * m.floor },
    },
    {
      key: 'probe-cpu',
      title: 'app CPU per 1,000 requests with the in-app probe',
      unit: 'ms',
      floorLabel,
      goal: { text: '≤ 1.02× floor', target: (m) => 1.02 * m.floor },
    },
  ],
  async run(_tool, ctx) {
    return withSession('tend', ctx, async (s) => {
      const ports = { probe: await freePort(), bare: await freePort() };
      const apps = [
        { name: 'probe', script: ctx.app('http.js'), env: ctx.appEnv({ PORT: String(ports.probe) }) },
        { name: 'bare', script: ctx.app('http.js'), probe: false, env: ctx.appEnv({ PORT: String(ports.bare) }) },
      ];
      await s.startAll(writeEcosystem(s.work, apps), apps.length, { timeoutMs: 30_000 });
      const pids = {};
      for (const p of await s.list()) {
        if (hasProbe(p.pid) !== (p.name === 'probe'))
          throw new Error(`${p.name} runs ${hasProbe(p.pid) ? 'with' : 'without'} the probe`);
        pids[p.name] = p.pid;
      }
      await waitHttp(ports.probe);
      await waitHttp(ports.bare);
      // JIT and connection set-up are not what is measured.
      await loadFor(ports.probe, CONNECTIONS, WARMUP_MS);
      await loadFor(ports.bare, CONNECTIONS, WARMUP_MS);
      const out = { probe: [], bare: [] };
      for (let round = 0; round < ctx.sizes.probeRounds; round++) {
        for (const side of round % 2 === 0 ? ['bare', 'probe'] : ['probe', 'bare']) {
          out[side].push(await measure(ports[side], pids[side], ctx.sizes.probeMs));
        }
      }
      const pick = (side, field) => out[side].map((m) => m[field]);
      return {
        probe: pick('probe', 'rps'),
        'probe-cpu': pick('probe', 'cpu'),
        floor: { probe: pick('bare', 'rps'), 'probe-cpu': pick('bare', 'cpu') },
      };
    });
  },
};
