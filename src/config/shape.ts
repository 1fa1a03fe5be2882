import { describeValue } from './describe-value.js';
import { fileKeys } from './keys.js';
import type { PathSegment } from './key-path.js';
import { fileRotation, withFileRotation } from './log-rotate.js';
import type { Report } from './report.js';
import { closestName } from './suggest.js';

/** One app object of the file and where it sits, e.g. `['apps', 2]`. */
export interface AppEntry {
  raw: unknown;
  path: PathSegment[];
}

/**
 * Finds the apps in whatever shape the file has, as PM2 does: `{ apps: [...] }` (or `pm2:`),
 * a top-level list of apps, or a single app object.
 */
export function appsOf(data: unknown, report: Report, unknownKeys: 'error' | 'warn' = 'error'): AppEntry[] {
  if (Array.isArray(data)) return data.map((raw, index) => ({ raw, path: [index] }));
  if (data === null || data === undefined) {
    report.problem([], 'the file defines no apps; expected `apps:` with a list of apps');
    return [];
  }
  if (typeof data !== 'object') {
    report.problem(
      [],
      `expected a mapping with \`apps:\` (a list of apps), a list of apps, or one app; got ${describeValue(data)}`,
    );
    return [];
  }
  const top = data as Record<string, unknown>;
  if (!('apps' in top) && !('pm2' in top)) return [{ raw: data, path: [] }];

  if ('apps' in top && 'pm2' in top)
    report.problem(['pm2'], '`pm2` is an alias of `apps` and both are set; keep one', 'key');
  for (const key of Object.keys(top)) {
    // `x-...` keys hold YAML anchors shared by apps (`<<: *defaults`), as in docker-compose files.
    if (key.startsWith('x-')) continue;
    // `deploy` is `tend deploy`'s; `loadDesiredState` checks it (config/deploy-target.ts).
    if (key === 'deploy') continue;
    if (key === 'static')
      report.warn([key], '`static` is accepted but not implemented yet: tend does not serve static files');
    else if (!(fileKeys as readonly string[]).includes(key)) {
      const guess = closestName(key, fileKeys);
      const message = `unknown top-level key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ' (expected `apps`)'}`;
      if (unknownKeys === 'warn') report.warn([key], `${message}; ignored, as PM2 does`);
      else report.problem([key], message, 'key');
    }
  }
  const listKey = 'apps' in top ? 'apps' : 'pm2';
  const list = top[listKey];
  if (!Array.isArray(list)) {
    report.problem([listKey], `expected a list of apps; got ${describeValue(list)}`);
    return [];
  }
  const rotation = 'log_rotate' in top ? fileRotation(top.log_rotate, report) : undefined;
  return list.map((raw, index) => ({ raw: withFileRotation(raw, rotation), path: [listKey, index] }));
}
