import { withDaemon } from '../context.js';
import { paint, statusStyle, useColor } from '../output.js';
import { toSelection } from '../selectors.js';
import { callWithProgress, reportResult } from '../progress.js';
import { pm2Targets, type Pm2TargetOptions } from './pm2-targets.js';

type Verb = 'stop' | 'restart' | 'reload' | 'delete';

/** stop/restart/reload/delete on names, ids, `all`, namespaces, /regex/, script paths or an ecosystem file's apps. */
export async function targetCommand(verb: Verb, targets: string[], options: Pm2TargetOptions): Promise<number> {
  // PM2's `-` (apps on stdin), `restart|reload FILE` and `restart APP --update-env …`: src/cli/commands/pm2-targets.ts.
  const rest = await pm2Targets(verb, targets, options);
  if (typeof rest === 'number') return rest;
  // Names, ids, `all`, namespaces, /regex/, script paths and ecosystem files: src/cli/selectors.ts.
  const names = await toSelection(rest, options.only);
  const color = useColor();
  return withDaemon(async (client) => {
    switch (verb) {
      case 'stop': {
        const views = await client.call('stop', names);
        for (const v of views)
          process.stdout.write(
            `${paint(v.status, statusStyle(v.status), color)} ${v.name}[${v.instance}] (id ${v.id})\n`,
          );
        return 0;
      }
      case 'delete': {
        const { deleted } = await client.call('delete', names);
        process.stdout.write(`deleted ${deleted.join(', ')}\n`);
        return 0;
      }
      case 'reload':
        return reportResult(await callWithProgress(client, 'reload', names, color), color);
      case 'restart': {
        return reportResult(await callWithProgress(client, 'restart', names, color), color);
      }
    }
  });
}
