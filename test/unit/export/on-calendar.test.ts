import { spawnSync } from 'node:child_process';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { onCalendar } from '../../../src/export/on-calendar.js';

const BASE = new Date('2026-12-06T10:20:30Z');

/** The next runs systemd itself computes for an OnCalendar= value, from BASE, in UTC. */
function systemdRuns(value: string, count: number): string[] {
  const result = spawnSync(
    'systemd-analyze',
    ['calendar', `--base-time=@${BASE.getTime() / 1000}`, `--iterations=${count}`, value],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
  );
  expect(result.status, result.stderr).toBe(0);
  return [...result.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+) (\S+) UTC/g)].map(
    ([, day, time]) => `${day}T${time}.000Z`,
  );
}

describe('cron_restart as OnCalendar=', () => {
  it.each([
    ['0 2 * * *', '*-*-* 2:0:0'],
    ['*/15 * * * *', '*-*-* *:0/15:0'],
    ['30 0 2 * * *', '*-*-* 2:0:30'],
    ['0 9 * * 1-5', 'Mon..Fri *-*-* 9:0:0'],
    ['0 0 1 */3 *', '*-1/3-1 0:0:0'],
    ['0 12 * * sun,wed', 'Sun,Wed *-*-* 12:0:0'],
    ['0 0 * * 7', 'Sun *-*-* 0:0:0'],
    ['5-10/2 * * * *', '*-*-* *:5..10/2:0'],
    ['0 0 * JAN *', '*-1-* 0:0:0'],
    ['0 6 ? * MON', 'Mon *-*-* 6:0:0'],
  ])('%s is %s, and systemd runs it when croner (tend) would', (pattern, value) => {
    const calendar = onCalendar({ pattern, timezone: 'UTC' });
    expect(calendar).toEqual({ ok: true, value: `${value} UTC` });
    const tend = new Cron(pattern, { paused: true, timezone: 'UTC' }).nextRuns(5, BASE).map((d) => d.toISOString());
    expect(systemdRuns(`${value} UTC`, 5)).toEqual(tend);
  });

  it('keeps the zone of the app (TZ), or none for the machine local time', () => {
    expect(onCalendar({ pattern: '0 2 * * *', timezone: 'Europe/Paris' })).toEqual({
      ok: true,
      value: '*-*-* 2:0:0 Europe/Paris',
    });
    expect(onCalendar({ pattern: '0 2 * * *', timezone: null })).toEqual({ ok: true, value: '*-*-* 2:0:0' });
  });

  it.each([
    ['0 0 1 * 1', /day or the weekday/],
    ['0 0 L * *', /no form/],
    ['0 0 * * 5#2', /no form/],
    ['0 0 * * */2', /no form/],
  ])('%s has no equal: %s', (pattern, reason) => {
    const calendar = onCalendar({ pattern, timezone: null });
    expect(calendar.ok).toBe(false);
    expect(calendar.ok ? '' : calendar.reason).toMatch(reason);
  });
});
