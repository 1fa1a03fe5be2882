import { describe, expect, it } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import { toPm2List } from '../../../src/cli/pm2-shape.js';
import { makeSpec } from '../../fixtures/specs.js';

function view(overrides: Partial<ProcessView> = {}): ProcessView {
  return {
    id: 3,
    name: 'api',
    namespace: 'default',
    instance: 1,
    mode: 'cluster',
    pid: 4242,
    status: 'online',
    restarts: 2,
    unstable_restarts: 0,
    uptime_ms: 5000,
    cpu: 1.5,
    memory: 1000,
    exit_code: null,
    exit_signal: null,
    restart_reason: null,
    error: null,
    created_at: 100,
    status_since: 200,
    next_restart_at: null,
    pm_out_log_path: '/h/logs/api-out-1.log',
    pm_err_log_path: '/h/logs/api-err-1.log',
    script: '/srv/api/index.js',
    args: ['--port'],
    interpreter: '/usr/local/bin/node',
    interpreter_args: ['--max-old-space-size=100'],
    cwd: '/srv/api',
    user: 'app',
    version: '1.2.3',
    watch: false,
    metrics: { heap_used_bytes: 5 },
    ...overrides,
  };
}

const spec = makeSpec('api', {
  instances: 2,
  run: { env: { PORT: '3000', API_KEY: 'k', NODE_ENV: 'production' }, incrementVar: 'PORT', execMode: 'cluster' },
});
const shape = (v: ProcessView, showSecrets = false) =>
  toPm2List([v], [{ spec, statuses: [], running: true }], { home: '/h', showSecrets, now: 10_000 })[0]!;

describe("toPm2List: tend's list in PM2's jlist shape", () => {
  it("PM2's top-level fields and spellings", () => {
    const p = shape(view());
    expect(Object.keys(p)).toEqual(['pid', 'name', 'pm2_env', 'pm_id', 'monit']);
    expect(p).toMatchObject({ pid: 4242, name: 'api', pm_id: 3, monit: { memory: 1000, cpu: 1.5 } });
    expect(p.pm2_env).toMatchObject({
      status: 'online',
      exec_mode: 'cluster_mode',
      exec_interpreter: 'node',
      node_args: ['--max-old-space-size=100'],
      pm_exec_path: '/srv/api/index.js',
      pm_cwd: '/srv/api',
      restart_time: 2,
      instances: 2,
      pm_uptime: 5000,
      created_at: 100,
      version: '1.2.3',
      pm_log_path: null,
      pm_pid_path: null,
      axm_monitor: { heap_used_bytes: { value: 5 } },
    });
  });

  it("each instance's own environment, flattened in as PM2 does", () => {
    const env = shape(view()).pm2_env;
    expect(env.env).toMatchObject({
      PORT: '3001',
      NODE_APP_INSTANCE: '1',
      pm_id: '3',
      TEND_HOME: '/h',
      NODE_ENV: 'production',
    });
    expect(env).toMatchObject({ PORT: '3001', NODE_APP_INSTANCE: 1, NODE_ENV: 'production', increment_var: 'PORT' });
  });

  it('secret-looking values masked as in `tend show`, unless asked', () => {
    expect([shape(view()).pm2_env.env.API_KEY, shape(view()).pm2_env.API_KEY]).toEqual(['***', '***']);
    expect(shape(view(), true).pm2_env.env.API_KEY).toBe('k');
  });

  it('a process not running: pid 0, no usage, `waiting restart` spelled as PM2, uptime from its last change', () => {
    const p = shape(view({ status: 'waiting-restart', pid: null, cpu: 9, memory: 9 }));
    expect([p.pid, p.monit, p.pm2_env.status, p.pm2_env.pm_uptime]).toEqual([
      0,
      { memory: 0, cpu: 0 },
      'waiting restart',
      200,
    ]);
  });

  it('an interpreter other than node is named as given; none for an executable', () => {
    expect(shape(view({ interpreter: 'python3' })).pm2_env.exec_interpreter).toBe('python3');
    expect(shape(view({ interpreter: null })).pm2_env.exec_interpreter).toBe('none');
  });

  it('a process whose app went away between the two answers: shown, with an empty env', () => {
    const [p] = toPm2List([view({ name: 'gone' })], [], { home: '/h' });
    expect(p!.pm2_env.env).toEqual({});
    expect(p!.pm2_env.name).toBe('gone');
  });
});
