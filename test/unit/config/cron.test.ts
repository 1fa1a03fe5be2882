import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { anyCronKey, rawAppsOf } from '../../../src/config/cron.js';
import { loadDesiredState } from '../../../src/config/index.js';
import { appOf, baseOptions, desiredOf, lines, tendErrorOf } from './helpers.js';

const dir = 'test/fixtures/ecosystems/errors';

describe('cron_restart is validated when the file is read', () => {
  test('a bad pattern is a problem at file:line:column, under the key as written', async () => {
    const error = await tendErrorOf(() => loadDesiredState(join(dir, 'bad-cron.yml'), baseOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual([
      '4:19 apps[0].cron_restart: invalid cron pattern "61 3 * * *": Invalid value for minute: 61',
      '7:11 apps[1].cron: invalid cron pattern "*/5 * *": a cron pattern has 5 fields (minute hour day month weekday), or 6 with seconds first; this one has 3',
      '10:18 apps[2].cronRestart: invalid cron pattern "0 0 0 1 1 * 2030": a cron pattern has 5 fields (minute hour day month weekday), or 6 with seconds first; this one has 7',
      '13:19 apps[3].cron_restart: expected a cron pattern such as "0 3 * * *" (or 6 fields, seconds first), or 0 for none; got 5',
    ]);
  });

  test('good patterns become the policy, in the app TZ when it names a zone; 0 means none', async () => {
    const desired = await loadDesiredState(join(dir, 'cron.yml'), baseOptions);
    expect(desired.apps.map((app) => [app.name, app.policy.cronRestart])).toEqual([
      ['nightly', { pattern: '0 3 * * *', timezone: null }],
      ['job', { pattern: '*/10 * * * * *', timezone: 'Europe/Paris' }],
      ['off', undefined],
    ]);
    expect(desired.warnings).toEqual([]);
  });

  test('an app without the key has no cronRestart at all, so specs saved before it existed compare equal', async () => {
    const spec = await appOf({ script: 'app.js' });
    expect('cronRestart' in spec.policy).toBe(false);
  });

  test('a TZ that is not an IANA zone is a warning; the schedule runs in local time', async () => {
    const desired = await desiredOf([{ script: 'app.js', cron_restart: '0 3 * * *', env: { TZ: 'Mars/Olympus' } }]);
    expect(desired.apps[0]!.policy.cronRestart).toEqual({ pattern: '0 3 * * *', timezone: null });
    expect(desired.warnings.map((w) => w.message)).toEqual([
      "TZ=Mars/Olympus is not an IANA time zone name; the schedule runs in the daemon's local time",
    ]);
  });

  test('"0" as a string is none too, as in PM2; extra spaces are folded', async () => {
    expect((await appOf({ script: 'app.js', cron_restart: '0' })).policy.cronRestart).toBeUndefined();
    expect((await appOf({ script: 'app.js', cron: '  0   3 * * * ' })).policy.cronRestart?.pattern).toBe('0 3 * * *');
  });

  test('the cron library is loaded only for files where some app sets the key', () => {
    expect(anyCronKey(rawAppsOf({ apps: [{ script: 'a.js' }, { script: 'b.js', watch: true }] }))).toBe(false);
    expect(anyCronKey(rawAppsOf({ apps: [{ script: 'a.js' }, { script: 'b.js', cron: '* * * * *' }] }))).toBe(true);
    expect(anyCronKey(rawAppsOf({ pm2: [{ script: 'a.js', cronRestart: '* * * * *' }] }))).toBe(true);
    expect(anyCronKey(rawAppsOf({ script: 'a.js', cron_restart: '* * * * *' }))).toBe(true);
    expect(anyCronKey(rawAppsOf([{ script: 'a.js' }]))).toBe(false);
  });
});
