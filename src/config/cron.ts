import type { CronSpec } from './types.js';

/**
 * Checks a schedule the way the daemon will run it: undefined when it is good, else what is wrong, in words for the
 * message at the key. Built by loadCronCheck, which loads the cron library; files without a schedule never load it.
 */
export type CronCheck = (spec: CronSpec) => string | undefined;

/** The keys that set a schedule, as they may be written (canonical, PM2's alias, camelCase). */
const cronKeys = ['cron_restart', 'cron', 'cronRestart'];

/** Whether any of these raw apps sets a schedule: only then is the cron library worth loading. */
export function anyCronKey(rawApps: readonly unknown[]): boolean {
  return rawApps.some(
    (raw) => raw !== null && typeof raw === 'object' && cronKeys.some((key) => Object.hasOwn(raw as object, key)),
  );
}

/** The apps of a parsed file (`apps:` or `pm2:`, a list of apps, or one app), for anyCronKey; shape.ts says the rest. */
export function rawAppsOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (data === null || typeof data !== 'object') return [];
  const top = data as { apps?: unknown; pm2?: unknown };
  const apps = [top.apps, top.pm2].flatMap((list) => (Array.isArray(list) ? list : list ? [list] : []));
  return 'apps' in top || 'pm2' in top ? apps : [data];
}

/** Loads the check and croner with it (a few dozen KB, only for a file with a schedule). */
export function loadCronCheck(): Promise<CronCheck> {
  return import('./cron-check.js').then((m) => m.checkCron);
}

/** The time zone a schedule is read in: the app's `TZ` when it names an IANA zone (a leading ":" allowed), else none. */
export function cronTimezone(tz: string | undefined): { timezone: string | null; ignored?: string } {
  if (tz === undefined || tz.trim() === '') return { timezone: null };
  const name = tz.trim().replace(/^:/, '');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return { timezone: name };
  } catch {
    return { timezone: null, ignored: tz };
  }
}
