// 1. How long `ls` takes with the daemon up and 10 apps, against the cost of starting node at all.
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
      goal: { text: '≤ 1.3× floor', target: (m) => 1.3 * m.floor },
    },
  ],
  async floor(ctx) {
    return { ls: await timeCalls(ctx.sizes.lsCalls, () => runOk(process.execPath, ['-e', '0'])) };
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const apps = Array.from({ length: ctx.sizes.lsApps }, (_, i) => ({
        name: `app-${i}`,
        script: ctx.app('idle.js'),
        env: ctx.appEnv(),
      }));
      await s.startAll(writeEcosystem(s.work, apps), apps.length);
      return { ls: await timeCalls(ctx.sizes.lsCalls, () => s.ok(['ls'])) };
    });
  },
};
