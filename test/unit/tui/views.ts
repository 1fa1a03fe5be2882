import type { ProcessView } from '../../../src/api/methods.js';

/** A process as the daemon's `list` returns it, online unless the overrides say otherwise. */
export function makeView(id: number, name: string, overrides: Partial<ProcessView> = {}): ProcessView {
  return {
    id,
    name,
    namespace: 'default',
    instance: 0,
    mode: 'fork',
    pid: 1000 + id,
    status: 'online',
    restarts: 0,
    unstable_restarts: 0,
    uptime_ms: 65_000,
    cpu: 3,
    memory: 42 * 1024 * 1024,
    exit_code: null,
    exit_signal: null,
    restart_reason: null,
    error: null,
    created_at: 0,
    status_since: 0,
    next_restart_at: null,
    pm_out_log_path: `/home/u/.tend/logs/${name}-out.log`,
    pm_err_log_path: `/home/u/.tend/logs/${name}-err.log`,
    script: `/srv/${name}.js`,
    args: [],
    interpreter: 'node',
    interpreter_args: [],
    cwd: '/srv',
    user: 'u',
    version: null,
    watch: false,
    ...overrides,
  };
}
