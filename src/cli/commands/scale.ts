import { withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';

/** `tend scale api 4|+2|-1`: only the difference is started or stopped. */
export async function scaleCommand(app: string, count: string): Promise<number> {
  const color = useColor();
  return withDaemon(async (client) => {
    const result = await callWithProgress(client, 'scale', { app, count }, color);
    for (const action of result.plan.actions) {
      if (action.type === 'scale-up' || action.type === 'scale-down')
        process.stdout.write(`${app}: ${action.from} → ${action.to} instances\n`);
    }
    if (result.plan.actions.length === 0) process.stdout.write(`${app}: already at that many instances\n`);
    return reportResult(result, color);
  });
}
