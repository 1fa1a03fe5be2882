import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { appOf, baseOptions, lines, tendErrorOf } from './helpers.js';

const dir = 'test/fixtures/ecosystems/errors';

describe('ready: and health: are checked when the file is read', () => {
  test('each problem names file:line:column and the key inside the check', async () => {
    const error = await tendErrorOf(() => loadDesiredState(join(dir, 'bad-checks.yml'), baseOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual([
      '5:21 apps[0].ready.http.port: expected a port number from 1 to 65535; got 70000',
      '10:7 apps[1].health.exec: a check has exactly one of http, tcp, exec, log; `tcp` and `exec` are both given',
      '13:19 apps[2].ready.log: not a regular expression: Invalid regular expression: /([/: Unterminated character class',
      '17:36 apps[3].ready.threshold: expected a whole number ≥ 1; got 0',
      '20:21 apps[4].health.http.port: expected a port number from 1 to 65535; the check names none and the app has no `port`',
      '23:5 apps[5].wait_ready: `wait_ready` and `ready` both say when the app is ready; keep one',
      '27:21 apps[6].health.http: expected a mapping with `port`, and optionally `path` and `status`; got 3000',
    ]);
  });
});

describe('a check becomes the policy with its defaults', () => {
  test('http takes the app port, path / and any 2xx/3xx; readiness every 500ms, once', async () => {
    const spec = await appOf({ script: 'app.js', port: 8080, ready: { http: {} } });
    expect(spec.policy.ready).toEqual({
      probe: { kind: 'http', port: 8080, path: '/', status: [] },
      intervalMs: 500,
      timeoutMs: 2000,
      threshold: 1,
    });
  });

  test('health with every key given', async () => {
    const spec = await appOf({
      script: 'app.js',
      health: {
        http: { port: '9000', path: '/live', status: [200, 204] },
        interval: '1s',
        timeout: '300ms',
        failures: 5,
        start_period: '30s',
      },
    });
    expect(spec.policy.health).toEqual({
      probe: { kind: 'http', port: 9000, path: '/live', status: [200, 204] },
      intervalMs: 1000,
      timeoutMs: 300,
      failures: 5,
      startPeriodMs: 30_000,
    });
  });

  test.each([
    [{ tcp: 5432 }, { kind: 'tcp', port: 5432 }],
    [{ exec: 'pg_isready -h 127.0.0.1' }, { kind: 'exec', command: 'pg_isready -h 127.0.0.1' }],
    [{ log: 'listening on \\d+' }, { kind: 'log', pattern: 'listening on \\d+' }],
  ])('%o is a %o check', async (ready, probe) => {
    expect((await appOf({ script: 'app.js', ready })).policy.ready?.probe).toEqual(probe);
  });

  test('an app without checks has no ready or health key at all, so specs saved before them compare equal', async () => {
    const spec = await appOf({ script: 'app.js' });
    expect('ready' in spec.policy || 'health' in spec.policy).toBe(false);
  });
});
