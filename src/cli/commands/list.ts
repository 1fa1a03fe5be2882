import { withDaemon } from '../context.js';
import { printList, type ListOptions } from '../fast/list-render.js';

/** `tend ls`: a table on a terminal or in a pipe; `--json` for scripts. */
export async function listCommand(options: ListOptions): Promise<number> {
  return printList(await withDaemon((client) => client.call('list', undefined)), options);
}
