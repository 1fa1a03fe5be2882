import { Cron } from 'croner';
import type { CronSpec } from '../config/types.js';
import type { CronSchedule } from './cron-policy.js';

/**
 * Compiles a validated schedule (src/config/cron.ts checked it when the file was read) with croner, in the spec's
 * time zone or local time. Its own module so that croner loads only once some app has a schedule.
 */
export function compileSchedule(spec: CronSpec): CronSchedule {
  const cron = new Cron(spec.pattern, { paused: true, ...(spec.timezone ? { timezone: spec.timezone } : {}) });
  return { nextAfter: (at) => cron.nextRun(new Date(at))?.getTime() ?? null };
}
