import { Cron } from 'croner';
import type { CronSpec } from './types.js';

/**
 * The CronCheck of src/config/cron.ts: a 5- or 6-field pattern croner can schedule in the given zone. A module of its
 * own, loaded only by files with a schedule, so that croner costs other files nothing.
 */
export function checkCron(spec: CronSpec): string | undefined {
  const fields = cronFieldCount(spec.pattern);
  if (fields !== 5 && fields !== 6) {
    return `a cron pattern has 5 fields (minute hour day month weekday), or 6 with seconds first; this one has ${fields}`;
  }
  try {
    const cron = new Cron(spec.pattern, { paused: true, ...(spec.timezone ? { timezone: spec.timezone } : {}) });
    if (cron.nextRun() === null) return 'this pattern never matches a date';
    return undefined;
  } catch (err) {
    return String(err instanceof Error ? err.message : err).replace(/^Cron\w*:\s*/, '');
  }
}

/** How many whitespace-separated fields a pattern has. */
function cronFieldCount(pattern: string): number {
  const trimmed = pattern.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
