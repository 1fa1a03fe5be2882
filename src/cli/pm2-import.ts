// `tend import`: a PM2 dump (`pm2 save` writes `$PM2_HOME/dump.pm2`, one entry per process, each PM2's whole `pm2_env`)
// becomes an ecosystem file tend applies. Pure: the parsed dump in, the apps and what was left out (and why) out.
import { basename, dirname, join } from 'node:path';
import { appKeys } from '../config/keys.js';

/** One app of the written file, keys in the order a person reads them. */
export type ImportedApp = Record<string, unknown>;

/** A PM2 key (or env variable) that is not in the written file, the apps it was dropped from, and why. */
export interface DroppedKey {
  key: string;
  reason: string;
  apps: string[];
}

export interface ImportResult {
  apps: ImportedApp[];
  dropped: DroppedKey[];
  /** Things a person should know about the file (kept keys tend does not act on yet, stopped apps, mixed statuses). */
  notes: string[];
}

/** Where PM2 keeps its files, to tell its default log and pid paths (which tend replaces with its own) from chosen ones. */
export interface ImportContext {
  pm2Home: string;
}

type Pm2Entry = Record<string, unknown>;

/** Why a PM2 key is left out; each key of a dump entry that is not mapped falls in one of these. */
const RUNTIME = "PM2's record of the running process, not configuration";
const PM2_ONLY =
  'PM2 internals tend has no use for: tend always signals the whole tree, reads no git metadata, has no APM';
const NOT_ACTED = 'tend accepts it but does not act on it yet';

/** PM2 keys that describe the process as it ran, not how to run it. */
const runtimeKeys = new Set([
  'pm_uptime',
  'created_at',
  'restart_time',
  'unstable_restarts',
  'exit_code',
  '_tree_pids',
  'axm_actions',
  'axm_monitor',
  'axm_options',
  'axm_dynamic',
  'km_link',
  'vizion_running',
  'version',
  'node_version',
  '_pm2_version',
  'unique_id',
  'pm_id',
  'prev_restart_delay',
  'started_inside',
  'versioning',
  'command',
  'username',
]);

/** PM2 keys tend has no counterpart for; `treekill: false` and `vizion` are PM2's way of doing what tend does differently. */
const pm2OnlyKeys = new Set([
  'vizion',
  'automation',
  'treekill',
  'kill_retry_time',
  'windowsHide',
  'pmx_module',
  'trace',
  'disable_trace',
  'v8',
  'event_loop_inspector',
  'deep_monitoring',
  'io',
  'source_map_support',
  'disable_source_map_support',
  'force',
  'append_env_to_name',
  'name_prefix',
  'install_url',
  'execute_command',
  'write',
  'post_update',
]);

/**
 * Keys read into the file, or into nothing when they hold what tend does anyway (`watch: false`, `pmx: true`, `node` for
 * a .js script, PM2's own merge_logs default): never listed as dropped.
 */
const readKeys = new Set([
  'name',
  'script',
  'pm_exec_path',
  'cwd',
  'pm_cwd',
  'args',
  'exec_interpreter',
  'interpreter',
  'node_args',
  'interpreter_args',
  'exec_mode',
  'instances',
  'namespace',
  'env',
  'watch',
  'time',
  'log_date_format',
  'pmx',
  'merge_logs',
  'combine_logs',
  'instance_var',
  'pm_out_log_path',
  'pm_err_log_path',
  'pm_log_path',
  'pm_pid_path',
  'status',
]);

/** Keys copied as they are, when the dump has them. */
const copied = [
  'increment_var',
  'autorestart',
  'autostart',
  'max_restarts',
  'min_uptime',
  'restart_delay',
  'exp_backoff_restart_delay',
  'stop_exit_codes',
  'max_memory_restart',
  'kill_timeout',
  'kill_signal',
  'listen_timeout',
  'wait_ready',
  'shutdown_with_message',
  'ignore_watch',
  'watch_delay',
  'log_type',
  'disable_logs',
  'uid',
  'gid',
  'cron_restart',
  'watch_options',
] as const;

/** Kept although tend does not act on them yet: a file that says what the app had is worth more than a silent loss. */
const keptNotActed = new Set(['watch_options', 'log_file', 'pid_file']);

/** Env variables that are PM2's own or the shell's bookkeeping, never the app's: left out of `env`. */
const droppedEnv = /^(PM2_.*|pm_id|unique_id|NODE_APP_INSTANCE|_|PWD|OLDPWD|SHLVL)$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** PM2 keeps env values as it got them (numbers, `{}` for nested objects); a file holds strings. */
function envString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Whether a dump is PM2's: a list of objects with a name. */
export function isPm2Dump(value: unknown): value is Pm2Entry[] {
  return Array.isArray(value) && value.every((e) => isRecord(e) && typeof e.name === 'string');
}

/**
 * PM2's default log and pid paths sit in its home (`logs/<name>-out.log`, `-error.log`, `pids/<name>-<id>.pid`), with
 * `-<pm_id>` added per instance when logs are not merged: tend writes its own under its home, so those are left out.
 */
function isPm2Default(file: string, name: string, kind: 'out' | 'error' | 'log' | 'pid', ctx: ImportContext): boolean {
  const dir = kind === 'pid' ? join(ctx.pm2Home, 'pids') : join(ctx.pm2Home, 'logs');
  if (dirname(file) !== dir) return false;
  const base = basename(file);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern =
    kind === 'pid'
      ? `${escaped}-\\d+\\.pid`
      : kind === 'log'
        ? `${escaped}(-\\d+)?\\.log`
        : `${escaped}-${kind}(-\\d+)?\\.log`;
  return new RegExp(`^${pattern}$`).test(base);
}

/** `/var/log/api-0.log` and `/var/log/api-2.log` of one app with unmerged logs were `/var/log/api.log` in its config. */
function commonBase(paths: string[]): string {
  const stripped = paths.map((p) => p.replace(/-\d+(\.[^./]*)?$/, '$1'));
  return stripped.every((p) => p === stripped[0]) && paths.length > 1 ? stripped[0]! : paths[0]!;
}

/** The instance index PM2 gave an entry (`NODE_APP_INSTANCE`, or its `instance_var`), for ordering. */
function instanceOf(entry: Pm2Entry): number {
  const name = typeof entry.instance_var === 'string' ? entry.instance_var : 'NODE_APP_INSTANCE';
  const value = Number(entry[name] ?? (isRecord(entry.env) ? entry.env[name] : undefined));
  return Number.isInteger(value) ? value : 0;
}

/** Maps a PM2 dump to the apps of an ecosystem file; every key of the dump is either mapped or listed as dropped. */
export function importPm2Dump(dump: Pm2Entry[], ctx: ImportContext): ImportResult {
  const dropped = new Map<string, DroppedKey>();
  const notes: string[] = [];
  const drop = (key: string, reason: string, app: string): void => {
    const entry = dropped.get(`${key}\0${reason}`) ?? { key, reason, apps: [] };
    if (!entry.apps.includes(app)) entry.apps.push(app);
    dropped.set(`${key}\0${reason}`, entry);
  };

  // PM2 keeps one entry per process: the entries of one app name are its instances.
  const byName = new Map<string, Pm2Entry[]>();
  for (const entry of dump) {
    const name = entry.name as string;
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }

  const apps: ImportedApp[] = [];
  for (const [name, entries] of byName) {
    entries.sort((a, b) => instanceOf(a) - instanceOf(b));
    const first = entries[0]!;
    const instanceVar = typeof first.instance_var === 'string' ? first.instance_var : 'NODE_APP_INSTANCE';
    const app: ImportedApp = { name };
    const set = (key: string, value: unknown): void => {
      if (value !== undefined) app[key] = value;
    };

    // What runs.
    const script = typeof first.pm_exec_path === 'string' ? first.pm_exec_path : first.script;
    set('script', script);
    set('cwd', typeof first.pm_cwd === 'string' ? first.pm_cwd : first.cwd);
    if (Array.isArray(first.args) && first.args.length > 0) set('args', first.args.map(String));
    else if (typeof first.args === 'string' && first.args.trim() !== '') set('args', first.args);
    const interpreter = typeof first.exec_interpreter === 'string' ? first.exec_interpreter : first.interpreter;
    // tend runs Node.js scripts on its own node; PM2's `node` is only worth writing for a script tend would not run on node.
    const nodeScript = typeof script === 'string' && /\.(c|m)?js$/.test(script);
    if (typeof interpreter === 'string' && !(interpreter === 'node' && nodeScript)) set('interpreter', interpreter);
    const nodeArgs = first.node_args ?? first.interpreter_args;
    if ((Array.isArray(nodeArgs) && nodeArgs.length > 0) || (typeof nodeArgs === 'string' && nodeArgs.trim() !== ''))
      set('interpreter_args', nodeArgs);
    const cluster = typeof first.exec_mode === 'string' && first.exec_mode.startsWith('cluster');
    if (cluster) set('exec_mode', 'cluster');
    if (entries.length > 1) set('instances', entries.length);
    if (typeof first.namespace === 'string' && first.namespace !== 'default') set('namespace', first.namespace);

    // The environment PM2 gave the app: its `env`, the increment_var at its base value.
    if (isRecord(first.env)) {
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(first.env)) {
        // PM2 keeps an empty object under the app's own name in every env.
        if (droppedEnv.test(key) || key === instanceVar || (key === name && (isRecord(value) || value === '{}'))) {
          drop(`env.${key}`, "PM2's own variables and the shell's bookkeeping", name);
          continue;
        }
        env[key] = envString(value);
      }
      const increment = first.increment_var;
      if (typeof increment === 'string' && env[increment] !== undefined) {
        const base = Number.parseInt(env[increment], 10) - instanceOf(first);
        if (!Number.isNaN(base)) env[increment] = String(base);
      }
      if (Object.keys(env).length > 0) app.env = env;
    }
    for (const [key, value] of Object.entries(first))
      if (/^env_.+$/.test(key) && isRecord(value))
        app[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, envString(v)]));

    // Policies and logs.
    for (const key of copied) {
      const value = first[key];
      if (value === undefined || value === null) continue;
      if ((key === 'autorestart' || key === 'autostart') && value === true) continue;
      set(key, value);
    }
    if (first.watch === true || (Array.isArray(first.watch) && first.watch.length > 0)) set('watch', first.watch);
    else delete app.ignore_watch;
    if (first.time === true) set('time', true);
    else if (typeof first.log_date_format === 'string') set('log_date_format', first.log_date_format);
    if (first.pmx === false) set('probe', false);
    if (typeof first.instance_var === 'string' && first.instance_var !== 'NODE_APP_INSTANCE')
      set('instance_var', first.instance_var);
    // PM2 merges by default only a fork app of one instance; tend merges every fork app's. It matters only for several.
    const mergeSetting = first.merge_logs ?? first.combine_logs;
    const merged = typeof mergeSetting === 'boolean' ? mergeSetting : !cluster && entries.length === 1;
    if (entries.length > 1 && merged !== !cluster) set('merge_logs', merged);
    for (const [pm2Key, kind, key] of [
      ['pm_out_log_path', 'out', 'out_file'],
      ['pm_err_log_path', 'error', 'error_file'],
      ['pm_log_path', 'log', 'log_file'],
      ['pm_pid_path', 'pid', 'pid_file'],
    ] as const) {
      const paths = entries.map((e) => e[pm2Key]).filter((p): p is string => typeof p === 'string');
      if (paths.length === 0) continue;
      if (paths.every((p) => isPm2Default(p, name, kind, ctx))) continue;
      set(key, kind === 'pid' ? commonBase(paths) : merged ? paths[0] : commonBase(paths));
    }

    // PM2's status at save time: a stopped app comes back stopped.
    const statuses = entries.map((e) => e.status);
    if (statuses.every((s) => s === 'stopped') && app.autostart === undefined) {
      app.autostart = false;
      notes.push(`${name} was stopped when PM2 saved it: \`autostart: false\` registers it stopped`);
    } else if (statuses.some((s) => s === 'stopped'))
      notes.push(`${name}: some of its instances were stopped when PM2 saved it; applying the file starts them all`);

    for (const key of Object.keys(app)) {
      if (keptNotActed.has(key) && !appKeys[key]?.implemented) notes.push(`${name}: \`${key}\` is kept; ${NOT_ACTED}`);
    }

    // Everything else in the entry, said once per key.
    const envKeys = isRecord(first.env) ? new Set(Object.keys(first.env)) : new Set<string>();
    for (const entry of entries) {
      for (const key of Object.keys(entry)) {
        if (readKeys.has(key) || key in app || /^env_.+$/.test(key) || (copied as readonly string[]).includes(key))
          continue;
        // PM2 copies each variable of `env` (and the instance index) into pm2_env itself: not keys of their own.
        if (envKeys.has(key) || key === instanceVar) continue;
        if (key === 'filter_env') drop(key, 'already applied: `env` holds the environment PM2 gave the app', name);
        else if (runtimeKeys.has(key)) drop(key, RUNTIME, name);
        else if (pm2OnlyKeys.has(key)) drop(key, PM2_ONLY, name);
        else drop(key, 'not a key tend knows', name);
      }
    }
    apps.push(app);
  }
  return { apps, dropped: [...dropped.values()], notes };
}
