import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isEcosystemFile } from '../../config/file-kind.js';
import { paths, withDaemon } from '../context.js';
import { paint, statusStyle, useColor } from '../output.js';
import { splitList } from '../list-option.js';
import { callWithProgress, reportResult } from '../progress.js';

type Verb = 'stop' | 'restart' | 'reload' | 'delete';

/** stop/restart/reload/delete on names, ids, `all` or the apps an ecosystem file names. */
export async function targetCommand(verb: Verb, targets: string[], options: { only?: string }): Promise<number> {
  const names = await expandFiles(targets, options.only);
  const color = useColor();
  return withDaemon(async (client) => {
    switch (verb) {
      case 'stop': {
        const views = await client.call('stop', { targets: names });
        for (const v of views)
          process.stdout.write(
            `${paint(v.status, statusStyle(v.status), color)} ${v.name}[${v.instance}] (id ${v.id})\n`,
          );
        return 0;
      }
      case 'delete': {
        const { deleted } = await client.call('delete', { targets: names });
        process.stdout.write(`deleted ${deleted.join(', ')}\n`);
        return 0;
      }
      case 'reload':
        return reportResult(await callWithProgress(client, 'reload', { targets: names }, color), color);
      case 'restart': {
        return reportResult(await callWithProgress(client, 'restart', { targets: names }, color), color);
      }
    }
  });
}

/** An ecosystem file as a target stands for the app names in it (validated first). */
async function expandFiles(targets: string[], only: string | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const target of targets) {
    if (isEcosystemFile(target) && existsSync(target)) {
      const { loadDesiredState } = await import('../../config/index.js');
      const desired = await loadDesiredState(resolve(target), {
        home: paths().home,
        only: splitList(only),
        baseEnv: { kind: 'clean' },
      });
      out.push(...desired.apps.map((a) => a.name));
    } else {
      out.push(target);
    }
  }
  return out;
}
