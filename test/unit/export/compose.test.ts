import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CheckProbe } from '../../../src/config/check-types.js';
import type { Runtime } from '../../../src/export/app-facts.js';
import { checkCommand, exportCompose } from '../../../src/export/compose.js';
import { app, desired, OPTIONS } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read only by assertions
type Obj = Record<string, any>;

function services(result: ReturnType<typeof exportCompose>): Obj {
  expect(result.files.map((file) => file.name)).toEqual(['docker-compose.yml']);
  return parse(result.files[0]!.text).services;
}

describe('exportCompose', () => {
  it('writes one service per app with replicas, command, folder mounted at /app, env, mem_limit and stop settings', () => {
    const result = exportCompose(
      desired(
        app('api', {
          instances: 2,
          run: { env: { GREETING: 'hi' }, uid: 1000, gid: 1001 },
          policy: { maxMemoryRestartBytes: 1024, killSignal: 'SIGTERM', killTimeoutMs: 2500 },
        }),
      ),
      OPTIONS,
    );
    expect(services(result).api).toEqual({
      image: 'node:20-slim',
      command: ['node', '/app/api.js'],
      working_dir: '/app',
      volumes: ['/srv/shop:/app'],
      environment: { GREETING: 'hi' },
      restart: 'unless-stopped',
      deploy: { replicas: 2 },
      mem_limit: 1024,
      user: '1000:1001',
      stop_signal: 'SIGTERM',
      stop_grace_period: '2500ms',
      labels: { 'tend.app': 'api', 'tend.project': 'shop' },
    });
  });

  it.each([
    ['autorestart', { autorestart: true, stopExitCodes: [] }, 'unless-stopped', []],
    ['autorestart: false', { autorestart: false, stopExitCodes: [] }, 'no', []],
    ['stop_exit_codes [0]', { autorestart: true, stopExitCodes: [0] }, 'on-failure', []],
    ['stop_exit_codes [0, 3]', { autorestart: true, stopExitCodes: [0, 3] }, 'on-failure', ['stop_exit_codes']],
  ])('%s restarts %s', (_what, policy, restart, lost) => {
    const result = exportCompose(desired(app('api', { policy })), OPTIONS);
    expect(services(result).api.restart).toBe(restart);
    expect(result.lossy.map((field) => field.key)).toEqual(lost);
  });

  it('writes `restart: "no"` quoted, as a YAML 1.1 reader (docker-compose) would otherwise read a boolean', () => {
    const result = exportCompose(desired(app('api', { policy: { autorestart: false } })), OPTIONS);
    expect(result.files[0]!.text).toContain('restart: "no"');
  });

  it('keeps a `$` literal (compose would substitute it): what tend read is what the app gets', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${X}` in an env value is what this test is about
    const result = exportCompose(desired(app('api', { run: { env: { PRICE: '$5 ${X}' } } })), OPTIONS);
    expect(services(result).api.environment.PRICE).toBe('$$5 $${X}');
  });

  it('waits for a dependency that has a healthcheck with service_healthy, else for it to start (reported)', () => {
    const tcpReady = { probe: { kind: 'tcp' as const, port: 5432 }, intervalMs: 1000, timeoutMs: 2000, threshold: 1 };
    const result = exportCompose(
      desired(
        app('db', { policy: { ready: tcpReady } }),
        app('cache'),
        app('api', {
          dependsOn: [
            { app: 'db', condition: 'ready', restart: false },
            { app: 'cache', condition: 'healthy', restart: false },
          ],
        }),
      ),
      OPTIONS,
    );
    const all = services(result);
    expect(all.api.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      cache: { condition: 'service_started' },
    });
    expect(all.db.healthcheck).toEqual({
      test: checkCommand(tcpReady.probe, 'node'),
      interval: '1s',
      timeout: '2s',
      retries: 1,
    });
    expect(result.lossy).toEqual([expect.objectContaining({ app: 'api', key: 'depends_on.cache' })]);
  });

  it('uses health: over ready: as the one healthcheck, and says neither restarts nor the lost ready: carries over', () => {
    const result = exportCompose(
      desired(
        app('api', {
          policy: {
            ready: { probe: { kind: 'tcp', port: 80 }, intervalMs: 500, timeoutMs: 2000, threshold: 1 },
            health: {
              probe: { kind: 'exec', command: 'check-me' },
              intervalMs: 30_000,
              timeoutMs: 5000,
              failures: 3,
              startPeriodMs: 10_000,
            },
          },
        }),
      ),
      OPTIONS,
    );
    expect(services(result).api.healthcheck).toEqual({
      test: ['CMD-SHELL', 'check-me'],
      interval: '30s',
      timeout: '5s',
      retries: 3,
      start_period: '10s',
    });
    expect(result.lossy.map((field) => field.key)).toEqual(['health', 'ready']);
  });

  it.each<[Runtime, CheckProbe, string[]]>([
    ['node', { kind: 'http', port: 80, path: '/up', status: [] }, ['CMD', 'node', '-e']],
    ['python', { kind: 'http', port: 80, path: '/up', status: [] }, ['CMD', 'python3', '-c']],
    ['other', { kind: 'http', port: 80, path: '/up', status: [] }, ['CMD', 'curl', '-fsS']],
    ['node', { kind: 'tcp', port: 80 }, ['CMD', 'node', '-e']],
    ['other', { kind: 'tcp', port: 80 }, ['CMD', 'bash', '-c']],
  ])('checks on a %s image with %j', (runtime, probe, start) => {
    expect(checkCommand(probe, runtime)?.slice(0, 3)).toEqual(start);
  });

  it("puts each app's lost keys in a comment right above its service", () => {
    const result = exportCompose(
      desired(app('api', { policy: { watch: { paths: [], ignore: [], delayMs: 0 } } })),
      OPTIONS,
    );
    expect(result.files[0]!.text).toMatch(/ {2}# not carried over from api:\n {2}# {3}watch: .*\n {2}api:\n/);
  });
});
