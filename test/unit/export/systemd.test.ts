import { describe, expect, it } from 'vitest';
import { exportSystemd } from '../../../src/export/systemd.js';
import { app, desired, OPTIONS } from './helpers.js';

/** The values of `Key=` in one unit, in order. */
function settings(text: string, key: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

function unit(result: ReturnType<typeof exportSystemd>, name: string): string {
  const file = result.files.find((candidate) => candidate.name === name);
  if (!file) throw new Error(`no ${name} among ${result.files.map((f) => f.name).join(', ')}`);
  return file.text;
}

describe('exportSystemd', () => {
  it('writes one unit per app, a template when instances > 1, with %i as the instance variable', () => {
    const result = exportSystemd(desired(app('api', { instances: 3 }), app('worker')), OPTIONS);
    expect(result.files.map((file) => file.name)).toEqual(['api@.service', 'worker.service']);
    expect(settings(unit(result, 'api@.service'), 'Environment')).toContain('"NODE_APP_INSTANCE=%i"');
    expect(settings(unit(result, 'worker.service'), 'Environment')).toContain('NODE_APP_INSTANCE=0');
    expect(unit(result, 'api@.service')).toContain('# a template: systemctl enable --now api@0 api@1 api@2');
  });

  it('carries the command, folder, env, user, restart rule, delay, memory and stop settings', () => {
    const text = unit(
      exportSystemd(
        desired(
          app('api', {
            run: { args: ['--name', 'big shop'], env: { PRICE: '$5 at 100%', QUOTE: 'a "b"' }, uid: 1000, gid: 1000 },
            policy: {
              stopExitCodes: [0, 3],
              restartDelayMs: 1500,
              maxMemoryRestartBytes: 300_000_000,
              killSignal: 'SIGTERM',
              killTimeoutMs: 8000,
            },
          }),
        ),
        OPTIONS,
      ),
      'api.service',
    );
    expect(settings(text, 'ExecStart')).toEqual(['/usr/local/bin/node /srv/shop/api.js --name "big shop"']);
    expect(settings(text, 'WorkingDirectory')).toEqual(['/srv/shop']);
    expect(settings(text, 'Environment')).toEqual(['"PRICE=$5 at 100%%"', '"QUOTE=a \\"b\\""', 'NODE_APP_INSTANCE=0']);
    expect(settings(text, 'User')).toEqual(['1000']);
    expect(settings(text, 'Group')).toEqual(['1000']);
    expect(settings(text, 'Restart')).toEqual(['always']);
    expect(settings(text, 'RestartPreventExitStatus')).toEqual(['0 3']);
    expect(settings(text, 'RestartSec')).toEqual(['1500ms']);
    expect(settings(text, 'MemoryMax')).toEqual(['300000000']);
    expect(settings(text, 'KillSignal')).toEqual(['SIGTERM']);
    expect(settings(text, 'TimeoutStopSec')).toEqual(['8000ms']);
  });

  it('leaves out, and reports, an env value with a line break, which no unit line can hold', () => {
    const result = exportSystemd(desired(app('api', { run: { env: { KEY: 'line 1\nline 2', MODE: 'x' } } })), OPTIONS);
    expect(settings(unit(result, 'api.service'), 'Environment')).toEqual(['MODE=x', 'NODE_APP_INSTANCE=0']);
    expect(result.lossy).toEqual([expect.objectContaining({ app: 'api', key: 'env.KEY' })]);
  });

  it('runs an app without uid as the user who exported it, and one without autorestart with Restart=no', () => {
    const text = unit(exportSystemd(desired(app('api', { policy: { autorestart: false } })), OPTIONS), 'api.service');
    expect(settings(text, 'User')).toEqual(['ada']);
    expect(settings(text, 'Restart')).toEqual(['no']);
    expect(settings(text, 'StartLimitBurst')).toEqual([]);
  });

  it('doubles $ in ExecStart arguments, so systemd passes them through as the shell line tend ran', () => {
    const text = unit(
      exportSystemd(
        desired(app('api', { run: { interpreter: 'bash', interpreterArgs: ['-c'], script: 'echo $HOME' } })),
        OPTIONS,
      ),
      'api.service',
    );
    expect(settings(text, 'ExecStart')).toEqual(['bash -c "echo $$HOME"']);
  });

  it("orders by depends_on (After=, Requires=, PartOf= for restart: true), naming a template dependency's instances", () => {
    const result = exportSystemd(
      desired(
        app('db', { instances: 2 }),
        app('cache'),
        app('api', {
          dependsOn: [
            { app: 'db', condition: 'ready', restart: true },
            { app: 'cache', condition: 'started', restart: false },
          ],
        }),
      ),
      OPTIONS,
    );
    const text = unit(result, 'api.service');
    expect(settings(text, 'After')).toEqual(['network.target', 'db@0.service db@1.service cache.service']);
    expect(settings(text, 'Requires')).toEqual(['db@0.service db@1.service cache.service']);
    expect(settings(text, 'PartOf')).toEqual(['db@0.service db@1.service']);
    expect(result.lossy).toEqual([expect.objectContaining({ app: 'api', key: 'depends_on.db' })]);
  });

  it('leaves [Install] out for an app registered stopped (autostart: false), so enabling it is a choice', () => {
    const result = exportSystemd(desired(app('api', { autostart: false }), app('web')), OPTIONS);
    expect(settings(unit(result, 'api.service'), 'WantedBy')).toEqual([]);
    expect(settings(unit(result, 'web.service'), 'WantedBy')).toEqual(['multi-user.target']);
  });

  it('writes a timer for a job on cron_restart, which starts its unit on the schedule', () => {
    const result = exportSystemd(
      desired(
        app('report', { policy: { autorestart: false, cronRestart: { pattern: '0 9 * * 1-5', timezone: null } } }),
      ),
      OPTIONS,
    );
    expect(result.files.map((file) => file.name)).toEqual(['report.service', 'report.timer']);
    const timer = unit(result, 'report.timer');
    expect(settings(timer, 'OnCalendar')).toEqual(['Mon..Fri *-*-* 9:0:0']);
    expect(settings(timer, 'WantedBy')).toEqual(['timers.target']);
    expect(result.lossy).toEqual([]);
  });

  it.each([
    ['a live app (a timer would not restart it)', { autorestart: true }, 1],
    ['a job of two instances', { autorestart: false }, 2],
  ])('reports cron_restart of %s as lost, writing no timer', (_what, policy, instances) => {
    const result = exportSystemd(
      desired(
        app('report', { instances, policy: { ...policy, cronRestart: { pattern: '0 9 * * *', timezone: null } } }),
      ),
      OPTIONS,
    );
    expect(result.files.some((file) => file.name.endsWith('.timer'))).toBe(false);
    expect(result.lossy.map((field) => field.key)).toContain('cron_restart');
  });

  it.each([
    ['ready', { ready: { probe: { kind: 'tcp' as const, port: 80 }, intervalMs: 500, timeoutMs: 2000, threshold: 1 } }],
    ['cron_restart', { cronRestart: { pattern: '0 3 * * *', timezone: null } }],
    ['watch', { watch: { paths: ['/srv/shop'], ignore: [], delayMs: 0 } }],
  ])('reports %s as lost and notes it at the top of the unit', (key, policy) => {
    const result = exportSystemd(desired(app('api', { policy })), OPTIONS);
    expect(result.lossy.map((field) => field.key)).toEqual([key]);
    expect(unit(result, 'api.service')).toMatch(new RegExp(`^# not carried over from api:\\n#\\s+${key}: `, 'm'));
  });
});
