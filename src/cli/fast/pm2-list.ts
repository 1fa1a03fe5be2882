import { resolvePaths } from '../../core/home.js';
import { DaemonClient } from '../client.js';
import { toPm2List, type Pm2Process } from '../pm2-shape.js';

export interface Pm2ListOptions {
  /** `prettylist`: Node's util.inspect text instead of JSON. */
  pretty: boolean;
  showSecrets: boolean;
}

/** The daemon's list in PM2's jlist shape: two calls on one connection (the processes, then the apps' specs). */
export async function pm2List(client: DaemonClient, home: string, showSecrets: boolean): Promise<Pm2Process[]> {
  const views = await client.call('list', undefined);
  const specs = await client.call('specs', { names: [...new Set(views.map((v) => v.name))] });
  return toPm2List(views, specs, { home, showSecrets });
}

/** What `jlist` and `prettylist` print: PM2's JSON (one line), or util.inspect of it with no depth limit, as PM2. */
export function printPm2List(list: Pm2Process[], pretty: boolean): number {
  if (pretty) {
    const { inspect } = process.getBuiltinModule('node:util');
    process.stdout.write(`${inspect(list, { depth: null, colors: false, maxArrayLength: null })}\n`);
  } else process.stdout.write(`${JSON.stringify(list)}\n`);
  return 0;
}

/**
 * `tend jlist` / `tend prettylist` when a daemon is up, inlined in dist/cli.cjs beside `ls` (only run for these two
 * verbs). Resolves null, having printed nothing, when it cannot answer by itself: the full CLI then does it the usual way.
 */
export async function fastPm2List(options: Pm2ListOptions): Promise<number | null> {
  const paths = resolvePaths();
  let client: DaemonClient;
  try {
    client = await DaemonClient.connect(paths);
  } catch {
    return null;
  }
  try {
    return printPm2List(await pm2List(client, paths.home, options.showSecrets), options.pretty);
  } catch {
    return null;
  } finally {
    client.close();
  }
}
