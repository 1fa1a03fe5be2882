// 1. How long `ls` takes with the daemon up and 10 apps, against the cost of starting node at all and against a bare
// Node client of the daemon's socket (what any Node CLI pays).
import { join } from 'node:path';
import { runOk } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

async function timeCalls(calls, once) {
  await once(); // the first call after a start warms the page cache; users run ls again and again
  const samples = [];
  for (let i = 0; i < calls; i++) samples.push((await once()).ms);
  return samples;
}

export const scenario = {
  id: 'ls',
  rows: [
    {
      key: 'ls',
      title: 'CLI `ls`, daemon up, 10 apps',
      unit: 'ms',
      floorLabel: '`node -e 0`',
      goal: { text: '—', target: null },
    },
    {
      // The honest floor: what any Node.js client of the daemon pays (boot, connect, one request, print).
      key: 'ls-client',
      title: 'CLI `ls`, daemon up, 10 apps, against a bare client',
      unit: 'ms',
      floorLabel: 'a bare Node client of the socket (bench/apps/bare-client.js)',
      goal: { text: '≤ 1.1× floor', target: (m) => 1.1 * m.floor },
      tools: ['tend'],
    },
  ],
  async floor(ctx) {
    const boot = await timeCalls(ctx.sizes.lsCalls, () => runOk(process.execPath, ['-e', '0']));
    // A tend daemon with the same 10 apps, asked by the bare client.
    const client = await withSession('tend', ctx, async (s) => {
      const apps = Array.from({ length: ctx.sizes.lsApps }, (_, i) => ({
        name: `app-${i}`,
        script: ctx.app('idle.js'),
        env: ctx.appEnv(),
      }));
      await s.startAll(writeEcosystem(s.work, apps), apps.length);
      const socket = join(s.home, 'tend.sock');
      return timeCalls(ctx.sizes.lsCalls, () => runOk(process.execPath, [ctx.app('bare-client.js'), socket]));
    });
    return { ls: boot, 'ls-client': client };
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const apps = Array.from({ length: ctx.sizes.lsApps }, (_, i) => ({
        name: `app-${i}`,
        script: ctx.app('idle.js'),
        env: ctx.appEnv(),
      }));
      await s.startAll(writeEcosystem(s.work, apps), apps.length);
      const samples = await timeCalls(ctx.sizes.lsCalls, () => s.ok(['ls']));
      return tool === 'tend' ? { ls: samples, 'ls-client': samples } : { ls: samples };
    });
  },
};
