// 7. Failed requests while a 2-instance cluster app is reloaded under load (the "zero-downtime" promise).
import { failedRequests, startLoad } from '../lib/load.mjs';
import { sleep } from '../lib/procs.mjs';
import { withSession } from '../lib/tools.mjs';
import { CONNECTIONS, startClusterApp } from './cluster.mjs';

export const scenario = {
  id: 'reload',
  rows: [
    {
      key: 'reload-failed',
      title: (sizes) =>
        `failed requests over ${sizes.reloads} reload${sizes.reloads === 1 ? '' : 's'}, 2-instance cluster, ${CONNECTIONS} keep-alive connections`,
      unit: 'count',
      floorConst: 0,
      goal: { text: '0', target: () => 0 },
    },
  ],
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const port = await startClusterApp(s, ctx);
      const load = startLoad(port, CONNECTIONS);
      let result;
      try {
        await sleep(1000);
        for (let i = 0; i < ctx.sizes.reloads; i++) {
          await s.reload('web');
          await sleep(1000);
        }
      } finally {
        result = await load.stop();
      }
      if (result.requests.total === 0) throw new Error('no request got through at all');
      return { 'reload-failed': [failedRequests(result)] };
    });
  },
};
