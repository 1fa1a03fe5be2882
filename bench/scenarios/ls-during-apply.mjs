// A daemon that keeps answering while it starts many apps: `tend ls` from another shell, one call after another for
// the whole of an N-app apply, against `tend ls` of the same daemon idle just before. The apps are `sleep`, so N of
// them fit any machine; what is measured is the daemon's forking, not the apps.
import { runTimed } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

const IDLE_CALLS = 20;

/** The 99th percentile: with the few dozen calls an apply lasts, the slowest but one at most. */
function p99(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

export const scenario = {
  id: 'ls-during-apply',
  tools: ['tend'],
  rows: [
    {
      key: 'ls-during-apply',
      title: (sizes) => `\`tend ls\` during a ${sizes.applyApps}-app apply (p99)`,
      unit: 'ms',
      floorLabel: '`tend ls` of the same daemon idle (p99)',
      goal: { text: '≤ 2× floor', target: (m) => 2 * m.floor },
    },
  ],
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const apps = Array.from({ length: ctx.sizes.applyApps }, (_, i) => ({
        name: `sleeper-${i}`,
        script: 'sleep',
        args: ['3600'],
        interpreter: 'none',
        env: ctx.appEnv(),
      }));
      const file = writeEcosystem(s.work, apps);
      await s.ok(['ping']);
      await s.ok(['ls']); // the first call after a start warms the page cache
      const idle = [];
      for (let i = 0; i < IDLE_CALLS; i++) idle.push((await s.ok(['ls'])).ms);
      let applying = true;
      const apply = s.ok(['apply', file], { timeoutMs: 300_000 }).finally(() => {
        applying = false;
      });
      const during = [];
      while (applying) {
        const call = await runTimed(s.bin, ['ls'], { env: s.env, cwd: s.work });
        if (call.code !== 0) throw new Error(`tend ls failed during the apply: ${call.stderr.trim()}`);
        if (applying) during.push(call.ms);
      }
      await apply;
      if (during.length === 0) throw new Error('the apply ended before a single `tend ls` did');
      return { 'ls-during-apply': [p99(during)], floor: { 'ls-during-apply': [p99(idle)] } };
    });
  },
};
