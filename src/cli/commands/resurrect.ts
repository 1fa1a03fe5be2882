import type { ResurrectResult } from '../../api/methods.js';

type ProcessStatus = ResurrectResult['apps'][number]['saved'][number];
import { plural } from '../../core/plural.js';
import { withDaemon } from '../context.js';
import { paint, useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';

/**
 * `tend resurrect`: the apps of the last `tend save` come back in the status they had then (running ones started,
 * stopped ones listed as stopped, errored ones tried again). Exit 0 when every app that ran when it was saved runs
 * again; otherwise 1, naming those that do not.
 */
export async function resurrectCommand(): Promise<number> {
  const color = useColor();
  const result = (await withDaemon((client) =>
    callWithProgress(client, 'resurrect', undefined, color),
  )) as ResurrectResult;
  for (const warning of result.warnings) process.stderr.write(`tend: warning: ${warning}\n`);
  // The failures' last log lines; the exit code is decided below, by what ran when it was saved.
  reportResult(result, color);
  process.stdout.write(`${describeResurrect(result).join('\n')}\n`);
  const missing = notBack(result);
  if (missing.length === 0) return 0;
  process.stderr.write(
    `${paint('✗', 'red', color)} not online again (they ran when saved): ${missing.map((m) => `${m.name}[${m.instances.join(',')}] (${m.why})`).join(', ')}\n`,
  );
  return 1;
}

/** One line per app of the dump: what it was when saved and what it is now. */
export function describeResurrect(result: ResurrectResult): string[] {
  if (result.apps.length === 0) return ['nothing to resurrect: the dump names no app (`tend save` writes it)'];
  return result.apps.map(({ name, saved, now, resurrected }) => {
    const was = summarise(saved);
    const is = summarise(now.map((s) => s ?? 'gone'));
    if (!resurrected) return `${name}: already managed, left as it is (${is}; saved ${was})`;
    return `${name}: ${is} (saved ${was})`;
  });
}

/** Apps with instances that ran when saved and are not online now, with those instances and why. */
export function notBack(result: ResurrectResult): Array<{ name: string; instances: number[]; why: string }> {
  return result.apps
    .filter((app) => app.notBack.length > 0)
    .map(({ name, now, resurrected, notBack: instances }) => {
      const statuses = [...new Set(instances.map((i) => now[i] ?? 'gone'))].join(', ');
      return { name, instances, why: resurrected ? statuses : `${statuses}; already managed, left as it is` };
    });
}

/** "2 online", "1 online, 1 stopped": how many instances are in each status. */
function summarise(statuses: Array<ProcessStatus | 'gone'>): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  if (counts.size === 0) return plural(0, 'instance');
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}
