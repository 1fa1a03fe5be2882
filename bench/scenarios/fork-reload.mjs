// Failed requests while a fork-mode app (one instance) is reloaded under load: a Node app and a Python app, unchanged
// between the tools. tend holds the socket (`listen`) and starts the new instance before the old one stops; PM2 has
// no such key (it ignores it) and reloads a fork app by restarting it.
import { failedRequestsUnderLoad, freePort, waitHttp } from '../lib/load.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';
import { CONNECTIONS } from './cluster.mjs';

const APPS = {
  'fork-reload-node': { script: 'http.js', interpreter: undefined, label: 'Node' },
  'fork-reload-python': { script: 'http-fd3.py', interpreter: 'python3', label: 'Python (standard library)' },
};

async function reloadsUnderLoad(tool, ctx, key) {
  const { script, interpreter } = APPS[key];
  return withSession(tool, ctx, async (s) => {
    const port = await freePort();
    const app = {
      name: 'web',
      script: ctx.app(script),
      exec_mode: 'fork',
      listen: `127.0.0.1:${port}`,
      env: ctx.appEnv({ PORT: String(port) }),
      ...(interpreter ? { interpreter } : {}),
    };
    await s.startAll(writeEcosystem(s.work, [app]), 1, { timeoutMs: 30_000 });
    await waitHttp(port);
    return failedRequestsUnderLoad(port, CONNECTIONS, ctx.sizes.reloads, () => s.reload('web'));
  });
}

export const scenario = {
  id: 'fork-reload',
  rows: Object.entries(APPS).map(([key, { label }]) => ({
    key,
    title: (sizes) =>
      `failed requests over ${sizes.reloads} reload${sizes.reloads === 1 ? '' : 's'}, fork-mode ${label} app, ${CONNECTIONS} keep-alive connections`,
    unit: 'count',
    floorConst: 0,
    goal: { text: '0', target: () => 0 },
  })),
  async run(tool, ctx) {
    const out = {};
    for (const key of Object.keys(APPS)) out[key] = [await reloadsUnderLoad(tool, ctx, key)];
    return out;
  },
};
