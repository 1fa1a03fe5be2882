// `tend jlist` and `tend prettylist` print PM2's list shape, so scripts written against `pm2 jlist` read tend unchanged.
// Loaded only by those verbs (and the programmatic API), never by `tend ls`: it must stay out of the ls fast path.
import { basename } from 'node:path';
import type { AppSpecView, ProcessView } from '../api/methods.js';
import { maskSecret } from '../api/secrets.js';
import type { AppSpec } from '../config/types.js';
import { instanceEnv, pm2ExecMode } from '../runtime/instance-env.js';

/** PM2's status words; only `waiting restart` is spelled differently from tend's. */
export type Pm2Status = 'launching' | 'online' | 'stopping' | 'stopped' | 'waiting restart' | 'errored';

/** `pm2_env` of one process: PM2's fields that tend has, then the process's own environment flattened in, as PM2 does. */
export interface Pm2Env {
  name: string;
  namespace: string;
  status: Pm2Status;
  pm_id: number;
  restart_time: number;
  unstable_restarts: number;
  /** When the process last came online (ms since the epoch); for one not running, when its status last changed. */
  pm_uptime: number;
  created_at: number;
  exit_code: number | null;
  exec_mode: 'fork_mode' | 'cluster_mode';
  instances: number;
  instance_var: string;
  increment_var?: string;
  pm_exec_path: string;
  pm_cwd: string;
  /** `node` for Node.js apps (as PM2 writes it), the program for others, `none` for an executable run directly. */
  exec_interpreter: string;
  node_args: string[];
  args: string[];
  watch: boolean;
  autorestart: boolean;
  autostart: boolean;
  max_restarts: number;
  min_uptime: number;
  restart_delay: number;
  exp_backoff_restart_delay?: number;
  max_memory_restart?: number;
  kill_timeout: number;
  listen_timeout: number;
  wait_ready: boolean;
  shutdown_with_message: boolean;
  stop_exit_codes: number[];
  merge_logs: boolean;
  pm_out_log_path: string | null;
  pm_err_log_path: string | null;
  pm_log_path: string | null;
  pm_pid_path: string | null;
  username: string;
  version: string;
  /** The in-app probe's figures, each as `{ value }` as PM2's axm_monitor holds them. */
  axm_monitor: Record<string, { value: number }>;
  axm_actions: unknown[];
  /** Set on the apps of a module (`tend install`), as PM2 marks its modules' processes. */
  pmx_module?: true;
  env: Record<string, string>;
  /** What tend knows beyond PM2's fields. */
  tend: {
    instance: number;
    restart_reason: string | null;
    log_problem: string | null;
    /** `ready:` passed (status stays PM2's `online` while it has not); null without a readiness check. */
    ready?: boolean | null;
    /** `health:`: unknown, passing or failing; null without a liveness check. */
    health?: string | null;
  };
  [flattened: string]: unknown;
}

/** One element of `pm2 jlist`. */
export interface Pm2Process {
  pid: number;
  name: string;
  pm_id: number;
  monit: { memory: number; cpu: number };
  pm2_env: Pm2Env;
}

export interface Pm2ShapeOptions {
  /** $TEND_HOME, which the daemon gives every app. */
  home: string;
  /** Env values whose names look secret are masked (`***`) as in `tend show`, unless this is set. */
  showSecrets?: boolean;
  now?: number;
}

export function pm2Status(status: ProcessView['status']): Pm2Status {
  return status === 'waiting-restart' ? 'waiting restart' : status;
}

/** PM2 writes `node` for Node.js apps; tend stores the path of the node it runs them on. */
function interpreterName(interpreter: string | null): string {
  if (interpreter === null) return 'none';
  return /^node(\d[\w.-]*)?$/.test(basename(interpreter)) ? 'node' : interpreter;
}

/**
 * The daemon's list (`list`) and the apps' specs (`specs`) in PM2's jlist shape. A process whose spec went away between
 * the two answers is shown with an empty env.
 */
export function toPm2List(views: ProcessView[], specs: AppSpecView[], options: Pm2ShapeOptions): Pm2Process[] {
  const byName = new Map(specs.map((s) => [s.spec.name, s.spec]));
  const now = options.now ?? Date.now();
  return views.map((view) => toPm2Process(view, byName.get(view.name) ?? null, options, now));
}

function toPm2Process(view: ProcessView, spec: AppSpec | null, options: Pm2ShapeOptions, now: number): Pm2Process {
  const env: Record<string, string> = {};
  if (spec) {
    for (const [key, value] of Object.entries(instanceEnv(spec, view.instance, view.id, { TEND_HOME: options.home })))
      env[key] = options.showSecrets ? value : maskSecret(key, value);
  }
  const policy = spec?.policy;
  const instanceVar = spec?.run.instanceVar ?? 'NODE_APP_INSTANCE';
  const online = view.status === 'online';
  const axm: Record<string, { value: number }> = {};
  for (const [key, value] of Object.entries(view.metrics ?? {})) axm[key] = { value };
  const pm2Env: Pm2Env = {
    // PM2 copies each process's environment into pm2_env; its own fields, below, win over a variable of the same name.
    ...env,
    name: view.name,
    namespace: view.namespace,
    version: view.version ?? 'N/A',
    pm_exec_path: view.script,
    pm_cwd: view.cwd,
    exec_interpreter: interpreterName(view.interpreter),
    node_args: view.interpreter_args,
    args: view.args,
    exec_mode: pm2ExecMode(view.mode),
    instances: spec?.instances ?? 1,
    instance_var: instanceVar,
    ...(spec?.run.incrementVar ? { increment_var: spec.run.incrementVar } : {}),
    [instanceVar]: view.instance,
    watch: view.watch,
    autorestart: policy?.autorestart ?? true,
    autostart: spec?.autostart ?? true,
    max_restarts: policy?.maxRestarts ?? 0,
    min_uptime: policy?.minUptimeMs ?? 0,
    restart_delay: policy?.restartDelayMs ?? 0,
    ...(policy?.expBackoffRestartDelayMs ? { exp_backoff_restart_delay: policy.expBackoffRestartDelayMs } : {}),
    ...(policy?.maxMemoryRestartBytes ? { max_memory_restart: policy.maxMemoryRestartBytes } : {}),
    kill_timeout: policy?.killTimeoutMs ?? 0,
    listen_timeout: policy?.listenTimeoutMs ?? 0,
    wait_ready: policy?.waitReady ?? false,
    shutdown_with_message: policy?.shutdownWithMessage ?? false,
    stop_exit_codes: policy?.stopExitCodes ?? [],
    merge_logs: spec?.logs.merge ?? true,
    pm_out_log_path: view.pm_out_log_path,
    pm_err_log_path: view.pm_err_log_path,
    pm_log_path: view.pm_log_path ?? null,
    pm_pid_path: view.pm_pid_path ?? null,
    username: view.user,
    status: pm2Status(view.status),
    pm_uptime: online ? now - view.uptime_ms : view.status_since,
    created_at: view.created_at,
    pm_id: view.id,
    restart_time: view.restarts,
    unstable_restarts: view.unstable_restarts,
    exit_code: view.exit_code,
    axm_monitor: axm,
    axm_actions: [],
    ...(view.module ? { pmx_module: true as const } : {}),
    env,
    tend: {
      instance: view.instance,
      restart_reason: view.restart_reason,
      log_problem: view.log_problem ?? null,
      ready: view.ready ?? null,
      health: view.health ?? null,
    },
  };
  // PM2's order of keys, so `prettylist` reads the same.
  return {
    pid: view.pid ?? 0,
    name: view.name,
    pm2_env: pm2Env,
    pm_id: view.id,
    monit: { memory: online ? view.memory : 0, cpu: online ? view.cpu : 0 },
  };
}
