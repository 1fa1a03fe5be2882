// 8. Requests per second through the tool's cluster mode, against Node's own cluster with the same workers.
import { failedRequests, loadFor } from '../lib/load.mjs';
import { withSession } from '../lib/tools.mjs';
import { CONNECTIONS, startClusterApp, startRawCluster, WORKERS } from './cluster.mjs';

/** Requests completed in one window of load; any failed request fails the scenario. */
async function requestsIn(port, ms) {
  const result = await loadFor(port, CONNECTIONS, ms);
  if (failedRequests(result) > 0) throw new Error(`${failedRequests(result)} requests failed under plain load`);
  return result.requests.total;
}

/**
 * The tool's cluster and Node's raw cluster, both up, loaded in turn: tool, floor, floor, tool, two half windows each.
 * Other work on this machine's 2 cores moves req/s by 10 % or more from one minute to the next, so two figures taken
 * minutes apart compared the moments as much as the servers; side by side, each ratio compares like with like.
 */
async function sideBySide(toolPort, floorPort, ms) {
  // A short load first on each: JIT and connection set-up are not what is measured.
  await loadFor(toolPort, CONNECTIONS, 1000);
  await loadFor(floorPort, CONNECTIONS, 1000);
  const half = ms / 2;
  const total = { tool: 0, floor: 0 };
  for (const side of ['tool', 'floor', 'floor', 'tool'])
    total[side] += await requestsIn(side === 'tool' ? toolPort : floorPort, half);
  return { tool: total.tool / (ms / 1000), floor: total.floor / (ms / 1000) };
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
  // No floor run of its own: each tool's session measures the floor beside it (the A/B harness path, as the probe's).
  async run(tool, ctx) {
    return withSession(tool, ctx, async (s) => {
      const port = await startClusterApp(s, ctx);
      const raw = await startRawCluster(ctx);
      try {
        const rps = await sideBySide(port, raw.port, ctx.sizes.rpsMs);
        return { rps: [rps.tool], floor: { rps: [rps.floor] } };
      } finally {
        await raw.stop();
      }
    });
  },
};
