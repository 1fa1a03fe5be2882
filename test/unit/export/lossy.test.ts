import { describe, expect, it } from 'vitest';
import { exportDesired } from '../../../src/export/index.js';
import { commonLossy, LossyReport } from '../../../src/export/lossy.js';
import { composeServiceName, dnsLabel, labelValue, unitPrefix } from '../../../src/export/names.js';
import type { SpecOverrides } from '../../fixtures/specs.js';
import { app, desired, HOME, OPTIONS } from './helpers.js';

const CAPABILITIES = { engine: 'X', logsGoTo: "X's log", instanceIndex: false, restartLimit: 'X restarts for ever' };

function lostKeys(overrides: SpecOverrides): string[] {
  const report = new LossyReport();
  commonLossy(app('api', overrides), HOME, CAPABILITIES, report);
  return report.fields.map((field) => field.key);
}

describe('the keys no target carries', () => {
  it.each<[string, SpecOverrides, string[]]>([
    ['a plain app', {}, []],
    ['watch', { policy: { watch: { paths: [], ignore: [], delayMs: 0 } } }, ['watch']],
    ['exponential backoff', { policy: { expBackoffRestartDelayMs: 100 } }, ['exp_backoff_restart_delay']],
    ['min_uptime', { policy: { minUptimeMs: 5000 } }, ['max_restarts']],
    ['wait_ready', { policy: { waitReady: true } }, ['wait_ready']],
    [
      'log rotation',
      { logs: { rotate: { maxBytes: 1, retain: 1, compress: false, dateFormat: 'x' } } },
      ['log_rotate'],
    ],
    ['a time prefix', { logs: { dateFormat: 'YYYY' } }, ['log_date_format']],
    ['JSON logs', { logs: { json: true } }, ['log_type']],
    ['an out_file of its own', { logs: { out: '/var/log/api.log' } }, ['out_file']],
    ['output discarded', { logs: { out: null, err: null } }, []],
    ['pid_file', { run: { pidFile: '/run/api.pid' } }, ['pid_file']],
    ['cluster mode, 4 instances', { instances: 4, run: { execMode: 'cluster' } }, ['exec_mode', 'instance_var']],
    ['increment_var, 2 instances', { instances: 2, run: { incrementVar: 'PORT' } }, ['increment_var', 'instance_var']],
    [
      'a log readiness check',
      { policy: { ready: { probe: { kind: 'log', pattern: 'up' }, intervalMs: 1, timeoutMs: 1, threshold: 1 } } },
      ['ready.log'],
    ],
  ])('%s', (_what, overrides, keys) => {
    expect(lostKeys(overrides)).toEqual(keys);
  });
});

describe('names each engine accepts', () => {
  it.each([
    ['api', 'api', 'api', 'api', 'api'],
    ['My_API', 'my-api', 'My_API', 'My_API', 'My_API'],
    ['9lives', 'app-9lives', '9lives', '9lives', '9lives'],
    ['a b@c', 'a-b-c', 'a-b-c', 'a-b-c', 'a-b-c'],
  ])('%s', (name, dns, label, compose, unit) => {
    expect(dnsLabel(name)).toBe(dns);
    expect(labelValue(name)).toBe(label);
    expect(composeServiceName(name)).toBe(compose);
    expect(unitPrefix(name)).toBe(unit);
  });

  it('cuts a DNS label to the length asked for, never ending in a dash', () => {
    expect(dnsLabel(`${'a'.repeat(50)}-${'b'.repeat(20)}`, 51)).toBe('a'.repeat(50));
  });
});

describe('exportDesired', () => {
  it('refuses two apps that would get one name in the target, naming both', () => {
    expect(() => exportDesired('kubernetes', desired(app('a_b'), app('a-b')), OPTIONS)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        problems: [expect.objectContaining({ message: 'apps a_b, a-b all become the Kubernetes name a-b' })],
      }),
    );
    // compose keeps both names apart.
    expect(exportDesired('compose', desired(app('a_b'), app('a-b')), OPTIONS).files).toHaveLength(1);
  });
});
