// Failed requests while an instance that went over max_memory_restart is replaced under load: one
// instance of a 2-instance cluster app, and a fork-mode app with `listen`. tend replaces either as a reload does (the new
// instance ready first, then the old one drained and stopped); PM2 reloads a cluster worker (the old one stopped with its
// open connections) and restarts a fork app; it ignores `listen`, and the app binds the port itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failedRequestsUnderLoad, freePort, waitHttp } from '../lib/load.mjs';
import { go, readMarks } from '../lib/marks.mjs';
import { sleep } from '../lib/procs.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';
import { CONNECTIONS, WORKERS, startClusterApp } from './cluster.mjs';

const LIMIT_MIB = 150;
/**
 * How often PM2 checks memory here (its PM2_WORKER_INTERVAL, 30 s by default): this row counts failed requests, not how
 * soon the limit is seen (the `memory` row measures that), and a 30 s wait would make every run that much longer.
 */
const PM2_CHECK_MS = 1000;

/** Each app's `start` starts it with the tool, with the keys given added, and resolves with its port once it answers. */
const APPS = {
  'memory-replace-cluster': {
    label: `${WORKERS}-instance cluster`,
    instances: WORKERS,
    start: (s, ctx, app) => startClusterApp(s, ctx, app),
  },
  'memory-replace-fork': {
    label: 'fork-mode app with `listen`',
    instances: 1,
    async start(s, ctx, app) {
      const port = await freePort();
      const fork = {
        ...app,
        exec_mode: 'fork',
        listen: `127.0.0.1:${port}`,
        env: ctx.appEnv({ ...app.env, PORT: String(port) }),
      };
      await s.startAll(writeEcosystem(s.work, [{ name: 'web', ...fork }]), 1, { timeoutMs: 30_000 });
      await waitHttp(port);
      return port;
    },
  },
};

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Says go to the app and returns once its one growing instance crossed the limit, an instance booted after it and the
 * one over the limit is gone. Polls every 50 ms: the load generator shares this process's event loop.
 */
async function replacedOverLimit(marks, goFile, instances, timeoutMs) {
  go(goFile);
  const boots = () => readMarks(marks).filter((m) => m.what === 'boot').length;
  const crossBy = Date.now() + 20_000;
  while (!readMarks(marks).some((m) => m.what === 'crossed')) {
    if (Date.now() > crossBy) throw new Error('the app never crossed its limit');
    await sleep(50);
  }
  const grower = Number(readFileSync(`${marks}.grower`, 'utf8'));
  const replacedBy = Date.now() + timeoutMs;
  while (boots() <= instances || running(grower)) {
    if (Date.now() > replacedBy) throw new Error(`the instance over the limit was not replaced within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function failedOverLimit(tool, ctx, key) {
  const { instances, start } = APPS[key];
  return withSession(tool, ctx, async (s) => {
    // Before the first command: PM2's daemon reads it from the environment it is started with.
    if (tool === 'pm2') s.env.PM2_WORKER_INTERVAL = String(PM2_CHECK_MS);
    const marks = join(s.work, 'marks');
    const goFile = join(s.work, 'go');
    const port = await start(s, ctx, {
      script: ctx.app('http-leak.js'),
      max_memory_restart: `${LIMIT_MIB}M`,
      env: { BENCH_MARKS: marks, BENCH_GO: goFile, BENCH_LIMIT_BYTES: String(LIMIT_MIB * 1024 * 1024) },
    });
    const timeoutMs = ctx.sizes.memoryTimeoutMs;
    return failedRequestsUnderLoad(port, CONNECTIONS, 1, () => replacedOverLimit(marks, goFile, instances, timeoutMs));
  });
}

export const scenario = {
  id: 'memory-replace',
  rows: Object.entries(APPS).map(([key, { label }]) => ({
    key,
    title: `failed requests while an instance over max_memory_restart (${LIMIT_MIB}M) is replaced, ${label}, ${CONNECTIONS} keep-alive connections`,
    unit: 'count',
    floorConst: 0,
    goal: { text: '0', target: () => 0 },
  })),
  async run(tool, ctx) {
    const out = {};
    for (const key of Object.keys(APPS)) out[key] = [await failedOverLimit(tool, ctx, key)];
    return out;
  },
};
