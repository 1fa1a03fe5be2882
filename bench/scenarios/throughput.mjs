// 8. Requests per second through the tool's cluster mode, against Node's own cluster with the same workers.
import { failedRequests, loadFor } from '../lib/load.mjs';
import { withSession } from '../lib/tools.mjs';
import { CONNECTIONS, startClusterApp, startRawCluster, WORKERS } from './cluster.mjs';

/** A short load first: JIT and connection set-up are not what is measured. */
async function measure(port, ms) {
  await loadFor(port, CONNECTIONS, 1000);
  const result = await loadFor(port, CONNECTIONS, ms);
  if (failedRequests(result) > 0) throw new Error(`${failedRequests(result)} requests failed under plain load`);
  return result.requests.total / (ms / 1000);
}

export const scenario = {
  id: 'throughput',
  rows: [
    {
      key: 'rps',
      title: `cluster req/s, ${WORKERS} workers, ${CONNECTIONS} connections`,
      unit: 'req/s',
      higherIsBetter: true,
      floorLabel: 'raw Node cluster',
      goal: { text: '≥ 0.97× floor', target: (m) => 0.97 * m.floor },
    },
  ],
  async floor(ctx) {
    const raw = await startRawCluster(ctx);
    try {
      return { rps: [await measure(raw.port, ctx.sizes.rpsMs)] };
    } finally {
      await raw.stop();
    }
  },
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const port = await startClusterApp(s, ctx);
      return { rps: [await measure(port, ctx.sizes.rpsMs)] };
    });
  },
};
