// 5. A whole ecosystem file: from the command to every app online, with the daemon already up.
import { withSession, writeEcosystem } from '../lib/tools.mjs';

export const scenario = {
  id: 'ecosystem',
  rows: [
    {
      key: 'ecosystem',
      title: (sizes) => `${sizes.ecoApps}-app ecosystem: command until all online`,
      unit: 'ms',
      goal: { text: '≤ 0.4× PM2', target: (m) => 0.4 * m.pm2 },
    },
  ],
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      await s.ok(['ping']);
      const apps = Array.from({ length: ctx.sizes.ecoApps }, (_, i) => ({
        name: `app-${i}`,
        script: ctx.app('idle.js'),
        env: ctx.appEnv(),
      }));
      const ms = await s.startAll(writeEcosystem(s.work, apps), apps.length);
      return { ecosystem: [ms] };
    });
  },
};
