// Shared by the cluster scenarios: a 2-instance cluster app started by a tool, or Node's own cluster for the floor.
import { spawn } from 'node:child_process';
import { freePort, waitHttp } from '../lib/load.mjs';
import { writeEcosystem } from '../lib/tools.mjs';

export const WORKERS = 2;
export const CONNECTIONS = 50;

/**
 * Starts http.js (or `extra.script`, with `extra`'s keys and variables added) in cluster mode with the tool and fails
 * unless every instance really runs as a cluster worker.
 */
export async function startClusterApp(session, ctx, extra = {}) {
  const port = await freePort();
  const app = {
    name: 'web',
    script: ctx.app('http.js'),
    exec_mode: 'cluster',
    instances: WORKERS,
    ...extra,
    env: ctx.appEnv({ ...extra.env, PORT: String(port) }),
  };
  let startError = null;
  await session
    .startAll(writeEcosystem(session.work, [app]), WORKERS, { timeoutMs: 30_000 })
    .catch((err) => (startError = err));
  const list = await session.list();
  const notCluster = list.filter((p) => p.mode !== 'cluster');
  if (notCluster.length > 0)
    throw new Error(
      `cluster mode not available (${notCluster.length}/${list.length} instances ran in ${notCluster[0].mode} mode)`,
    );
  if (startError) {
    const inUse = (startError.output ?? []).some((l) => l.includes('EADDRINUSE'));
    if (inUse) startError.message += ' (EADDRINUSE: the instances are not sharing the port as cluster workers)';
    throw startError;
  }
  await waitHttp(port);
  return port;
}

/** The floor: Node's cluster module with the same app and workers; returns the port and a stop function. */
export async function startRawCluster(ctx) {
  const port = await freePort();
  const child = spawn(process.execPath, [ctx.app('raw-cluster.js')], {
    env: { ...process.env, PORT: String(port), BENCH_WORKERS: String(WORKERS) },
    stdio: 'ignore',
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      // SIGTERM to the primary takes its workers down with it (they exit when the IPC channel closes).
      child.kill('SIGTERM');
    });
  try {
    await waitHttp(port);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, stop };
}
