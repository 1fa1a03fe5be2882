// 10. An app grows past max_memory_restart: from the moment it crossed the limit to its next instance booting.
import { join } from 'node:path';
import { go, readMarks, waitForMarks } from '../lib/marks.mjs';
import { AtLeast } from '../lib/stats.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

const LIMIT_MIB = 150;

export const scenario = {
  id: 'memory',
  rows: [
    {
      key: 'memory',
      title: `memory over max_memory_restart (${LIMIT_MIB}M) → restarted`,
      unit: 'ms',
      goal: { text: '≤ 2 s', target: () => 2000 },
    },
  ],
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const marks = join(s.work, 'marks');
      const goFile = join(s.work, 'go');
      const app = {
        name: 'leaky',
        script: ctx.app('leak.js'),
        max_memory_restart: `${LIMIT_MIB}M`,
        env: ctx.appEnv({ BENCH_MARKS: marks, BENCH_GO: goFile, BENCH_LIMIT_BYTES: String(LIMIT_MIB * 1024 * 1024) }),
      };
      await s.startAll(writeEcosystem(s.work, [app]), 1);
      go(goFile);
      const crossedMarks = await waitForMarks(marks, (m) => m.some((x) => x.what === 'crossed'), 20_000);
      if (!crossedMarks) throw new Error('the app never crossed its limit');
      const crossed = crossedMarks.find((x) => x.what === 'crossed').at;
      const limit = ctx.sizes.memoryTimeoutMs;
      const all = await waitForMarks(marks, (m) => m.filter((x) => x.what === 'boot').length >= 2, limit);
      if (!all) return { memory: [new AtLeast(Date.now() - crossed)] };
      const boots = readMarks(marks).filter((x) => x.what === 'boot');
      return { memory: [boots[1].at - crossed] };
    });
  },
};
