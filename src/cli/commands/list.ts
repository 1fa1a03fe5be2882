import { resolve } from 'node:path';
import { withDaemon, paths } from '../context.js';
import { listParams, printList, type ListOptions } from '../fast/list-render.js';

/** `tend ls`: a table on a terminal or in a pipe; `--json` for scripts. */
export async function listCommand(pattern: string | undefined, options: ListOptions): Promise<number> {
  const asked: ListOptions = {
    ...options,
    ...(options.file === undefined ? {} : { file: resolve(options.file) }),
    ...(pattern === undefined ? {} : { pattern }),
  };
  return printList(await withDaemon((client) => client.call('list', listParams(asked))), asked);
}

/**
 * `tend jlist` / `tend prettylist`: PM2's shape of the list, for scripts written against PM2 (`tend ls --json` keeps
 * tend's own). Env values whose names look secret are masked as in `tend show` unless --show-secrets.
 */
export async function pm2ListCommand(pretty: boolean, options: { showSecrets?: boolean }): Promise<number> {
  const { pm2List, printPm2List } = await import('../fast/pm2-list.js');
  const home = paths().home;
  const list = await withDaemon((client) => pm2List(client, home, options.showSecrets === true));
  return printPm2List(list, pretty);
}
