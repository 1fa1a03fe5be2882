import { resolvePaths } from '../../core/home.js';
import { DaemonClient } from '../client.js';
import { listParams, printList, type ListOptions } from './list-render.js';

/**
 * `tend ls` when a daemon is up, inlined in dist/cli.cjs. Resolves null when it cannot answer by itself
 * (no daemon, an error of any kind, a bad --sort) and has printed nothing: the caller then runs the full CLI, which
 * does it all again the usual way (starting the daemon, reporting the error). `list` changes nothing, so asking
 * twice is harmless, and what the user sees never depends on which path answered.
 */
export async function fastList(options: ListOptions): Promise<number | null> {
  let client: DaemonClient;
  try {
    client = await DaemonClient.connect(resolvePaths());
  } catch {
    return null;
  }
  try {
    return printList(await client.call('list', listParams(options)), options);
  } catch {
    return null;
  } finally {
    client.close();
  }
}
