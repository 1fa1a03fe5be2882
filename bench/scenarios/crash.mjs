// 6. From a crash to the app's code running again, with restart_delay 0, as the app itself sees it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { go, readMarks, waitForMarks } from '../lib/marks.mjs';
import { nowMs } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

export const scenario = {
  id: 'crash',
  rows: [
    {
      key: 'crash',
      title: "crash → the app's code runs again (restart_delay 0)",
      unit: 'ms',
      floorLabel: 'bare node boot',
      goal: { text: '≤ 90 ms', target: () => 90 },
    },
  ],
  /** The floor: from spawn() to the first line of the same app, with no manager in between. */
  async floor(ctx) {
    const samples = [];
    for (let i = 0; i < ctx.sizes.crashes; i++) {
      const marks = join(ctx.scratch(), 'marks');
      const started = nowMs();
      await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [ctx.app('crash.js')], {
          env: { ...process.env, BENCH_MARKS: marks, BENCH_BOOT_ONLY: '1' },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('exit', resolve);
      });
      samples.push(readMarks(marks)[0].at - started);
    }
    return { crash: samples };
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const crashes = ctx.sizes.crashes;
      const marks = join(s.work, 'marks');
      const goFile = join(s.work, 'go');
      const app = {
        name: 'crashy',
        script: ctx.app('crash.js'),
        restart_delay: 0,
        env: ctx.appEnv({ BENCH_MARKS: marks, BENCH_GO: goFile, BENCH_CRASHES: String(crashes) }),
      };
      await s.startAll(writeEcosystem(s.work, [app]), 1);
      go(goFile);
      const all = await waitForMarks(marks, (m) => m.filter((x) => x.what === 'boot').length > crashes, 30_000);
      if (!all)
        throw new Error(
          `${readMarks(marks).filter((x) => x.what === 'boot').length - 1}/${crashes} restarts within 30 s`,
        );
      const samples = [];
      for (let i = 0; i < all.length; i++) {
        if (all[i].what !== 'exit') continue;
        const next = all.slice(i + 1).find((x) => x.what === 'boot');
        if (next) samples.push(next.at - all[i].at);
      }
      return { crash: samples };
    });
  },
};
