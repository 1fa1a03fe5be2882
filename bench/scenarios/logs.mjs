// 9. A burst of stdout lines: how long until all are in the log file, against a shell redirect of the same app,
// and how many lines were lost or doubled on the way.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { go, readMarks, waitForMarks } from '../lib/marks.mjs';
import { killChild, nowMs, sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';

/** Bytes per line written by bench/apps/lines.js: 7 digits, a space, 52 x, a newline. */
const LINE_BYTES = 61;

function sizeOf(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Polls the log file's size every 5 ms until every byte is there; returns when that was, or null at the time limit. */
async function whenComplete(file, bytes, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (sizeOf(file) >= bytes) return nowMs();
    await sleep(5);
  }
  return null;
}

/** Lines missing or present more than once, by the index each line carries. */
function lostOrDoubled(file, count) {
  const seen = new Uint8Array(count);
  let doubled = 0;
  let foreign = 0;
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    if (!line) continue;
    const index = Number(line.slice(0, 7));
    if (!Number.isInteger(index) || index < 0 || index >= count || line.length !== LINE_BYTES - 1) foreign++;
    else if (seen[index]++) doubled++;
  }
  let lost = 0;
  for (let i = 0; i < count; i++) if (!seen[i]) lost++;
  return lost + doubled + foreign;
}

/** Runs the measured part: go, wait for the bytes, read the app's start mark. */
async function measure(marks, goFile, logFile, count) {
  const bytes = count * LINE_BYTES;
  if (!(await waitForMarks(marks, (m) => m.some((x) => x.what === 'boot'), 20_000)))
    throw new Error('the app did not start');
  go(goFile);
  const done = await whenComplete(logFile, bytes, 120_000);
  // Give a writer that doubles lines a moment to show it.
  await sleep(200);
  const start = readMarks(marks).find((x) => x.what === 'start');
  if (!start) throw new Error('the app never started writing');
  const bad = lostOrDoubled(logFile, count);
  if (done === null)
    return { 'logs-time': [], 'logs-bad': [bad], error: `only ${sizeOf(logFile)} of ${bytes} bytes after 120 s` };
  return { 'logs-time': [done - start.at], 'logs-bad': [bad] };
}

function check(result) {
  if (result.error) throw Object.assign(new Error(result.error), { partial: { 'logs-bad': result['logs-bad'] } });
  return result;
}

export const scenario = {
  id: 'logs',
  rows: [
    {
      key: 'logs-time',
      title: (sizes) => `${sizes.lines.toLocaleString('en')} stdout lines until all are in the log file`,
      unit: 'ms',
      floorLabel: 'shell redirect',
      goal: { text: '≤ 1.1× floor', target: (m) => 1.1 * m.floor },
    },
    {
      key: 'logs-bad',
      title: 'lines lost or doubled',
      unit: 'count',
      floorLabel: 'shell redirect',
      goal: { text: '0', target: () => 0 },
    },
  ],
  async floor(ctx) {
    const dir = ctx.scratch();
    const marks = join(dir, 'marks');
    const goFile = join(dir, 'go');
    const logFile = join(dir, 'lines.log');
    const child = spawn('/bin/sh', ['-c', 'exec "$0" "$1" > "$2"', process.execPath, ctx.app('lines.js'), logFile], {
      env: { ...process.env, BENCH_MARKS: marks, BENCH_GO: goFile, BENCH_LINES: String(ctx.sizes.lines) },
      stdio: 'ignore',
    });
    try {
      return check(await measure(marks, goFile, logFile, ctx.sizes.lines));
    } finally {
      await killChild(child);
    }
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const marks = join(s.work, 'marks');
      const goFile = join(s.work, 'go');
      const logFile = join(s.work, 'lines.log');
      const app = {
        name: 'chatty',
        script: ctx.app('lines.js'),
        autorestart: false,
        out_file: logFile,
        error_file: join(s.work, 'lines-err.log'),
        env: ctx.appEnv({ BENCH_MARKS: marks, BENCH_GO: goFile, BENCH_LINES: String(ctx.sizes.lines) }),
      };
      await s.startAll(writeEcosystem(s.work, [app]), 1);
      return check(await measure(marks, goFile, logFile, ctx.sizes.lines));
    });
  },
};
