// 7. Failed requests while a 2-instance cluster app is reloaded under load (the "zero-downtime" promise).
import { failedRequestsUnderLoad } from '../lib/load.mjs';
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
      const failed = await failedRequestsUnderLoad(port, CONNECTIONS, ctx.sizes.reloads, () => s.reload('web'));
      return { 'reload-failed': [failed] };
    });
  },
};
