import { describe, expect, it } from 'vitest';
import { explain, renderImport } from '../../../src/cli/commands/import.js';
import { importPm2Dump } from '../../../src/cli/pm2-import.js';
import { appKeys, canonicalKey } from '../../../src/config/keys.js';

const HOME = '/home/me/.pm2';

/** One process of a PM2 dump: its pm2_env as `pm2 save` writes it, env flattened in, runtime fields beside config. */
function entry(fields: Record<string, unknown>): Record<string, unknown> {
  const env = (fields.env ?? {}) as Record<string, unknown>;
  return {
    vizion: true,
    automation: true,
    treekill: true,
    windowsHide: true,
    kill_retry_time: 100,
    autorestart: true,
    autostart: true,
    instance_var: 'NODE_APP_INSTANCE',
    node_args: [],
    namespace: 'default',
    exec_interpreter: 'node',
    status: 'online',
    pm_uptime: 1,
    created_at: 1,
    restart_time: 0,
    unstable_restarts: 0,
    axm_monitor: {},
    username: 'me',
    version: 'N/A',
    ...env,
    ...fields,
    env,
  };
}

const api = (instance: number, pmId: number) =>
  entry({
    name: 'api',
    pm_exec_path: '/srv/api/server.js',
    pm_cwd: '/srv/api',
    exec_mode: 'cluster_mode',
    instances: 2,
    increment_var: 'PORT',
    NODE_APP_INSTANCE: instance,
    env: { PORT: 4000 + instance, NODE_ENV: 'production', PM2_HOME: HOME, unique_id: 'u', api: '{}', PWD: '/srv' },
    env_production: { NODE_ENV: 'production' },
    max_memory_restart: 104857600,
    node_args: ['--max-old-space-size=200'],
    time: true,
    log_date_format: 'YYYY-MM-DDTHH:mm:ss',
    pm_out_log_path: `${HOME}/logs/api-out-${pmId}.log`,
    pm_err_log_path: `${HOME}/logs/api-error-${pmId}.log`,
    pm_pid_path: `${HOME}/pids/api-${pmId}.pid`,
  });

const worker = entry({
  name: 'worker',
  pm_exec_path: '/srv/worker/run.py',
  pm_cwd: '/srv/worker',
  exec_interpreter: 'python3',
  exec_mode: 'fork_mode',
  args: ['--queue', 'mail'],
  namespace: 'jobs',
  status: 'stopped',
  NODE_APP_INSTANCE: 0,
  kill_timeout: 3000,
  watch: false,
  ignore_watch: ['node_modules'],
  cron_restart: '0 3 * * *',
  pmx: false,
  something_new: 1,
  filter_env: ['SECRET'],
  pm_out_log_path: '/var/log/worker.out',
  pm_err_log_path: `${HOME}/logs/worker-error.log`,
  pm_pid_path: `${HOME}/pids/worker-2.pid`,
});

describe("importPm2Dump: PM2's dump as the apps of an ecosystem file", () => {
  const result = importPm2Dump([api(0, 0), worker, api(1, 3)], { pm2Home: HOME });
  const [a, w] = result.apps;

  it('one app per name, its instances counted, what runs mapped to tend keys', () => {
    expect(result.apps.map((app) => app.name)).toEqual(['api', 'worker']);
    expect(a).toEqual({
      name: 'api',
      script: '/srv/api/server.js',
      cwd: '/srv/api',
      interpreter_args: ['--max-old-space-size=200'],
      exec_mode: 'cluster',
      instances: 2,
      // The increment_var at its base (instance 0's), PM2's own variables left out.
      env: { PORT: '4000', NODE_ENV: 'production' },
      env_production: { NODE_ENV: 'production' },
      increment_var: 'PORT',
      max_memory_restart: 104857600,
      time: true,
    });
    expect(w).toMatchObject({
      name: 'worker',
      script: '/srv/worker/run.py',
      interpreter: 'python3',
      args: ['--queue', 'mail'],
      namespace: 'jobs',
      kill_timeout: 3000,
      cron_restart: '0 3 * * *',
      probe: false,
      out_file: '/var/log/worker.out',
      autostart: false,
    });
    // PM2's default log and pid files, and a watch PM2 had turned off (`pm2 stop` does), are not carried over.
    expect(w).not.toHaveProperty('error_file');
    expect(w).not.toHaveProperty('pid_file');
    expect(w).not.toHaveProperty('ignore_watch');
  });

  it('every key it writes is one tend knows by its canonical name', () => {
    for (const app of result.apps)
      for (const key of Object.keys(app))
        expect([key, canonicalKey(key) === key && (key in appKeys || key.startsWith('env_'))]).toEqual([key, true]);
  });

  it('lists every key it leaves out, with the reason, once per key', () => {
    const reasons = Object.fromEntries(result.dropped.map((d) => [d.key, d.reason]));
    expect(reasons.pm_uptime).toMatch(/record of the running process/);
    expect(reasons.vizion).toMatch(/PM2 internals/);
    expect(reasons.something_new).toBe('not a key tend knows');
    expect(reasons.filter_env).toMatch(/already applied/);
    expect(reasons['env.PM2_HOME']).toMatch(/PM2's own variables/);
    expect(result.dropped.find((d) => d.key === 'something_new')!.apps).toEqual(['worker']);
    expect(new Set(result.dropped.map((d) => `${d.key}|${d.reason}`)).size).toBe(result.dropped.length);
    // Keys read into the file (or holding what tend does anyway) are not "left out".
    for (const mapped of ['pm_exec_path', 'exec_mode', 'node_args', 'instances', 'watch', 'PORT', 'NODE_APP_INSTANCE'])
      expect(reasons).not.toHaveProperty(mapped);
  });

  it('notes what a person should know: a stopped app; `cron_restart` is acted on, so it is kept without a note', () => {
    expect(result.notes).toContain('worker was stopped when PM2 saved it: `autostart: false` registers it stopped');
    expect(result.notes.filter((note) => note.includes('cron_restart'))).toEqual([]);
  });

  it('unmerged per-instance log files of one app come back as the one path they were given', () => {
    const custom = (pmId: number, instance: number) => ({
      ...api(instance, pmId),
      pm_out_log_path: `/var/log/api-${pmId}.log`,
    });
    const [app] = importPm2Dump([custom(0, 0), custom(5, 1)], { pm2Home: HOME }).apps;
    expect(app!.out_file).toBe('/var/log/api.log');
  });

  it('renders a file whose header says where it came from and what was left out', () => {
    const text = renderImport(result, '/home/me/.pm2/dump.pm2', 3);
    expect(text).toMatch(/^# Written by `tend import` from .*dump\.pm2 \(2 apps, 3 processes as PM2 saved them\)\./);
    for (const line of explain(result)) expect(text).toContain(`# ${line}`);
    expect(text).toMatch(/\napps:\n {2}- name: api\n/);
  });
});
