// 13. Container mode: from the start of `tend-runtime FILE` (PM2: `pm2-runtime FILE`) until the code of the file's one
// app runs, read from the mark the app writes (bench/apps/started.js); the floor is `node app.js` started directly.
// Each attempt starts it a few times in a new home and takes the median; then it is stopped (tend-runtime exits on its
// own once the app has ended; pm2-runtime is sent SIGTERM).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { waitForMarks } from '../lib/marks.mjs';
import { killChild, nowMs } from '../lib/procs.mjs';

const STARTS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds from spawning `node <file> <args>` until the app marks that its code runs. */
async function untilCodeRuns(file, args, env, marks) {
  const started = nowMs();
  const child = spawn(process.execPath, [file, ...args], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const found = await waitForMarks(marks, (m) => m.some((x) => x.what === 'started'), 20_000);
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  if (!stopped) await killChild(child);
  if (!found) throw new Error(`${file}: the app never ran`);
  return found.find((x) => x.what === 'started').at - started;
}

async function measure(ctx, command) {
  const samples = [];
  for (let i = 0; i < STARTS; i++) {
    const dir = ctx.scratch();
    const marks = join(dir, 'marks');
    const env = { ...process.env, ...ctx.appEnv({ BENCH_MARKS: marks }), TEND_HOME: join(dir, 'home') };
    env.PM2_HOME = join(dir, 'pm2-home');
    const { file, args } = command(dir);
    samples.push(await untilCodeRuns(file, args, env, marks));
  }
  return median(samples);
}

export const scenario = {
  id: 'container-start',
  rows: [
    {
      key: 'container-start',
      title: "`tend-runtime FILE` until a one-app file's code runs (PM2: `pm2-runtime`)",
      unit: 'ms',
      floorLabel: '`node app.js`',
      goal: { text: '≤ 1.3× floor', target: (m) => 1.3 * m.floor },
    },
  ],
  async floor(ctx) {
    return { 'container-start': [await measure(ctx, () => ({ file: ctx.app('started.js'), args: [] }))] };
  },
  async run(tool, ctx) {
    const app = { name: 'app', script: ctx.app('started.js'), autorestart: false };
    const ms = await measure(ctx, (dir) => {
      if (tool === 'tend') {
        const file = join(dir, 'ecosystem.yml');
        writeFileSync(file, `apps:\n  - name: app\n    script: ${app.script}\n    autorestart: false\n`);
        return { file: join(ctx.tendDist, 'runtime.cjs'), args: [file] };
      }
      const file = join(dir, 'ecosystem.json');
      writeFileSync(file, JSON.stringify({ apps: [app] }));
      return { file: join(dirname(ctx.pm2Bin), 'pm2-runtime'), args: [file] };
    });
    return { 'container-start': [ms] };
  },
};
