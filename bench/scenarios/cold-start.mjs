// 2. The first command when no daemon runs: the CLI starts the daemon and waits until it answers.
import { pidsWithEnv, sleep } from '../lib/procs.mjs';
import { withSession } from '../lib/tools.mjs';

async function untilNoDaemon(session) {
  const marker = `${session.driver.homeVar}=${session.home}`;
  for (let i = 0; i < 100 && pidsWithEnv([marker]).length > 0; i++) await sleep(50);
}

export const scenario = {
  id: 'cold-start',
  rows: [
    {
      key: 'cold-start',
      title: 'first command, no daemon (`ping` until it answers)',
      unit: 'ms',
      goal: { text: '≤ 250 ms', target: () => 250 },
    },
  ],
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      // A home that has been used before, as after a reboot: PM2 prints its first-run banner only once.
      await s.ok(['ping']);
      await s.ok(['kill']);
      await untilNoDaemon(s);
      const { ms } = await s.ok(['ping']);
      return { 'cold-start': [ms] };
    });
  },
};
