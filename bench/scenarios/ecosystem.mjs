// 5. A whole ecosystem file: from the command to every app's code running, with the daemon already up.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readMarks, waitForMarks } from '../lib/marks.mjs';
import { nowMs, sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

const BOOT_TIMEOUT_MS = 60_000;

/** The last app's first line, from the marks every app writes as its code starts; throws when some never ran. */
async function lastBoot(marks, count) {
  const all = await waitForMarks(marks, (m) => m.length >= count, BOOT_TIMEOUT_MS);
  if (!all) throw new Error(`${readMarks(marks).length}/${count} apps ran within ${BOOT_TIMEOUT_MS / 1000} s`);
  return Math.max(...all.map((m) => m.at));
}

export const scenario = {
  id: 'ecosystem',
  rows: [
    {
      key: 'ecosystem',
      title: (sizes) => `${sizes.ecoApps}-app ecosystem: command until every app's code runs`,
      unit: 'ms',
      floorLabel: 'one script spawning as many `node` apps',
      goal: { text: '≤ 0.4× PM2', target: (m) => 0.4 * m.pm2 },
    },
    {
      key: 'ecosystem-return',
      title: (sizes) => `${sizes.ecoApps}-app ecosystem: until the command returns`,
      unit: 'ms',
      goal: { text: '— (tend waits until each instance stayed up 200 ms; PM2 waits for none)' },
    },
  ],
  /** The floor: the same apps spawned by a plain script in a loop, no manager, no preload. */
  async floor(ctx) {
    const count = ctx.sizes.ecoApps;
    const marks = join(ctx.scratch(), 'marks');
    const started = nowMs();
    const children = [];
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, [ctx.app('boot-idle.js')], {
        env: { ...process.env, BENCH_MARKS: marks },
        stdio: 'ignore',
        detached: true,
      });
      children.push({ child, exited: new Promise((resolve) => child.once('exit', resolve)) });
    }
    try {
      return { ecosystem: [(await lastBoot(marks, count)) - started] };
    } finally {
      for (const { child } of children) child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
    }
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      await s.ok(['ping']);
      const marks = join(s.work, 'marks');
      const apps = Array.from({ length: ctx.sizes.ecoApps }, (_, i) => ({
        name: `app-${i}`,
        script: ctx.app('boot-idle.js'),
        env: ctx.appEnv({ BENCH_MARKS: marks }),
      }));
      const file = writeEcosystem(s.work, apps);
      const started = nowMs();
      await s.ok(tool === 'tend' ? ['apply', file] : ['start', file], { timeoutMs: 120_000 });
      const returned = nowMs() - started;
      const ran = (await lastBoot(marks, apps.length)) - started;
      // Not timed: the figure counts only if the tool also calls every app online.
      for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
        const list = await s.list();
        if (list.length === apps.length && list.every((p) => p.status === 'online')) break;
        if (Date.now() > deadline)
          throw new Error(`${list.filter((p) => p.status === 'online').length}/${apps.length} online after 30 s`);
      }
      return { ecosystem: [ran], 'ecosystem-return': [returned] };
    });
  },
};
