// 3 and 4. What the daemon itself costs: resident memory idle and with N apps, and CPU while N apps do nothing.
import { spawn } from 'node:child_process';
import { cpuPercentOver, killChild, rssMiB, sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

/** Time a fresh process needs to reach its idle footprint before its RSS is read. */
export const SETTLE_MS = 1500;

export const scenario = {
  id: 'daemon',
  rows: [
    {
      key: 'rss-idle',
      title: 'daemon RSS, idle',
      unit: 'MiB',
      floorLabel: 'idle `node`',
      goal: { text: '≤ 45 MiB', target: () => 45 },
    },
    {
      key: 'rss-apps',
      title: (sizes) => `daemon RSS, ${sizes.daemonApps} fork apps`,
      unit: 'MiB',
      floorLabel: 'idle `node`',
      goal: { text: '≤ 55 MiB', target: () => 55 },
    },
    {
      key: 'cpu',
      title: (sizes) => `daemon CPU, ${sizes.daemonApps} idle apps, over ${sizes.cpuWindowMs / 1000} s`,
      unit: '%',
      floorConst: 0,
      goal: { text: '≤ 1 % of a core', target: () => 1 },
    },
  ],
  async floor() {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    try {
      await sleep(SETTLE_MS);
      const rss = rssMiB(child.pid);
      return { 'rss-idle': [rss], 'rss-apps': [rss] };
    } finally {
      await killChild(child);
    }
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      await s.ok(['ping']);
      await sleep(SETTLE_MS);
      const pid = s.daemonPid();
      if (!pid) throw new Error('no daemon pid file');
      const idle = rssMiB(pid);
      const apps = Array.from({ length: ctx.sizes.daemonApps }, (_, i) => ({
        name: `idle-${i}`,
        script: ctx.app('idle.js'),
        env: ctx.appEnv(),
      }));
      await s.startAll(writeEcosystem(s.work, apps), apps.length, { timeoutMs: 180_000 });
      await sleep(SETTLE_MS);
      const withApps = rssMiB(pid);
      const cpu = await cpuPercentOver(pid, ctx.sizes.cpuWindowMs);
      return { 'rss-idle': [idle], 'rss-apps': [withApps], cpu: [cpu] };
    });
  },
};
