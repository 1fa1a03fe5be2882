import { basename, join } from 'node:path';
import { defaults } from '../core/defaults.js';
import { defaultName, nameProblem } from './app-name.js';
import type { CheckedApp } from './check-app.js';
import { type CronCheck, cronTimezone } from './cron.js';
import { buildEnv, type AppEnvInput, type EnvOptions } from './env.js';
import { readEnvFiles } from './env-file.js';
import { livenessOf, readinessOf } from './health-checks.js';
import { listenOf } from './listen.js';
import type { FileHost } from './host.js';
import { chooseInterpreter } from './interpreter.js';
import { namedEnvKey } from './keys.js';
import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import { resolveRunAs, warnUnreachable, withUserEnv } from './run-as.js';
import { findScript, resolvePath } from './script.js';
import type { AppSpec, CronSpec, LogSpec, RotateSpec, WatchSpec } from './types.js';
import { parseDuration, parseSize, parseWhole, resolveInstances, toWords } from './units.js';

/** Everything normalisation needs besides the app itself. */
export interface NormaliseContext {
  report: Report;
  /** Folder relative `cwd`s are resolved against: the ecosystem file's folder (so the file is portable). */
  baseDir: string;
  /** tend's home; default logs go to `<home>/logs`. */
  home: string;
  cpus: number;
  env: EnvOptions;
  /** Where `port` came from, for envSources. */
  portSource: 'env' | 'cli';
  /** The ecosystem file for AppSpec.origin, or null for apps from CLI flags. */
  originFile: string | null;
  host: FileHost;
  nodePath: string;
  nodeVersion: string;
  /** The file's `deploy.<name>.env` for `--env <name>` (PM2), under each app's `env`. */
  deployEnv?: Record<string, unknown>;
  /** Checks `cron_restart`; loaded (with the cron library) only when some app of the file sets it. */
  cron?: CronCheck;
}

/**
 * Turns one validated app into an AppSpec: PM2's defaults applied, every path absolute, strings
 * such as "10s" and "150M" converted. Problems (a script that does not exist, ...) go to the report.
 */
export function normaliseApp(app: CheckedApp, ctx: NormaliseContext): AppSpec | undefined {
  const v = app.values;
  const at = (key: string): PathSegment[] => [...app.path, app.written[key] ?? key];
  const problemsBefore = ctx.report.problems.length;

  const cwd = typeof v.cwd === 'string' ? resolvePath(ctx.baseDir, v.cwd) : ctx.baseDir;
  if (ctx.host.kind(cwd) !== 'folder') ctx.report.problem(at('cwd'), `cwd folder not found: ${cwd}`);

  const envInput: AppEnvInput = {
    env: v.env as Record<string, unknown> | undefined,
    namedEnvs: namedEnvs(v),
    filterEnv: v.filter_env as AppEnvInput['filterEnv'],
    port: portOf(v.port, at('port'), ctx.report),
    portSource: ctx.portSource,
    deployEnv: ctx.deployEnv,
    envFile: readEnvFiles(v.env_file, at('env_file'), ctx),
  };
  // The script is looked up on the PATH the app will run with, not tend's own.
  const withoutInterpreter = buildEnv(envInput, ctx.env);
  const pathVar = withoutInterpreter.env.PATH ?? '';
  const scriptText = String(v.script);
  const target = findScript(scriptText, cwd, pathVar, ctx.host);
  if (target.kind === 'missing') ctx.report.problem(at('script'), target.message);

  let explicit = typeof v.interpreter === 'string' ? v.interpreter.trim() : undefined;
  if (explicit?.startsWith('node@')) {
    ctx.report.problem(
      at('interpreter'),
      `\`${explicit}\` (a node version through nvm) is not supported; give the path of that node binary`,
    );
  } else if (explicit?.includes('/')) {
    explicit = resolvePath(cwd, explicit);
  }
  const chosen = chooseInterpreter(target, explicit, ctx.host, ctx.nodePath, ctx.nodeVersion);
  // Most interpreters add no variable: the environment is then the one just built.
  const { env, sources } =
    Object.keys(chosen.baseEnv).length === 0
      ? withoutInterpreter
      : buildEnv({ ...envInput, interpreterEnv: chosen.baseEnv }, ctx.env);
  for (const problem of envSizeProblems(env))
    ctx.report.problem(problem.key ? [...at('env'), problem.key] : at('env'), problem.message);
  const runAs = resolveRunAs(app, ctx.report);
  withUserEnv(env, sources, runAs.user);

  const baseName = typeof v.name === 'string' ? v.name : defaultName(scriptText);
  // PM2's append_env_to_name: `--env production` runs `api` as `api-production`.
  const envName = ctx.env.envName;
  const name = v.append_env_to_name === true && envName !== undefined ? `${baseName}-${envName}` : baseName;
  const badName = nameProblem(name);
  if (badName) ctx.report.problem(at(typeof v.name === 'string' ? 'name' : 'script'), `${badName}; set \`name\``);

  const instances = resolveInstances(v.instances, ctx.cpus) ?? defaults.instances;
  const maxInstances = processLimit('TEND_MAX_INSTANCES', defaults.maxInstancesPerApp);
  if (instances > maxInstances)
    ctx.report.problem(
      at('instances'),
      `${instances} instances is over the limit of ${maxInstances} per app (each is a process; TEND_MAX_INSTANCES raises it)`,
    );
  const execMode = execModeOf(v, isNode(chosen.interpreter, ctx.nodePath));
  if (execMode === 'cluster' && v.exec_mode === undefined) {
    ctx.report.warn(
      at('instances'),
      '`instances` without `exec_mode` runs a Node.js app in cluster mode, as PM2 does (one port shared by every instance); set `exec_mode: fork` for separate copies',
    );
  }
  if (execMode === 'cluster' && !isNode(chosen.interpreter, ctx.nodePath)) {
    ctx.report.problem(
      at('exec_mode'),
      `cluster mode runs Node.js scripts only, and this app runs with ${chosen.interpreter ?? 'no interpreter'}; use exec_mode: fork`,
    );
  }

  const cron = cronOf(v.cron_restart, env.TZ, at('cron_restart'), ctx);
  const listen = listenOf(v.listen, cwd, execMode, at('listen'), ctx.report);
  const ready = readinessOf(v.ready, { at: at('ready'), report: ctx.report, appPort: v.port });
  const health = livenessOf(v.health, { at: at('health'), report: ctx.report, appPort: v.port });
  if (v.ready !== undefined && v.wait_ready === true)
    ctx.report.problem(at('wait_ready'), '`wait_ready` and `ready` both say when the app is ready; keep one', 'key');

  if (ctx.report.problems.length > problemsBefore) return undefined;
  const script = target.kind === 'file' ? target.path : target.kind === 'command' ? target.name : scriptText.trim();
  warnUnreachable(runAs, { cwd, script: target.kind === 'file' ? target.path : null }, app, ctx.report);
  return {
    name,
    namespace: typeof v.namespace === 'string' ? v.namespace : defaults.namespace,
    run: {
      script,
      args: toWords(v.args),
      interpreter: chosen.interpreter,
      interpreterArgs: [...chosen.interpreterArgs, ...toWords(v.interpreter_args)],
      cwd,
      env,
      execMode,
      instanceVar: typeof v.instance_var === 'string' ? v.instance_var : defaults.instanceVar,
      incrementVar: typeof v.increment_var === 'string' ? v.increment_var : null,
      ...(v.probe === false ? { probe: false } : {}),
      // Set only when asked for, so specs saved before `uid` existed compare equal.
      ...(runAs.uid !== undefined ? { uid: runAs.uid } : {}),
      ...(runAs.gid !== undefined ? { gid: runAs.gid } : {}),
      ...pidFileOf(v.pid_file, cwd),
      ...(listen ? { listen } : {}),
    },
    instances,
    policy: {
      autorestart: typeof v.autorestart === 'boolean' ? v.autorestart : defaults.autorestart,
      maxRestarts: parseWhole(v.max_restarts) ?? defaults.maxRestarts,
      minUptimeMs: parseDuration(v.min_uptime) ?? defaults.minUptimeMs,
      restartDelayMs: parseDuration(v.restart_delay) ?? defaults.restartDelayMs,
      expBackoffRestartDelayMs: parseDuration(v.exp_backoff_restart_delay) || null,
      stopExitCodes: exitCodes(v.stop_exit_codes),
      maxMemoryRestartBytes: parseSize(v.max_memory_restart) ?? null,
      killSignal: (v.kill_signal as NodeJS.Signals | undefined) ?? defaults.killSignal,
      killTimeoutMs: parseDuration(v.kill_timeout) ?? defaults.killTimeoutMs,
      listenTimeoutMs: parseDuration(v.listen_timeout) ?? defaults.listenTimeoutMs,
      waitReady: typeof v.wait_ready === 'boolean' ? v.wait_ready : defaults.waitReady,
      shutdownWithMessage:
        typeof v.shutdown_with_message === 'boolean' ? v.shutdown_with_message : defaults.shutdownWithMessage,
      watch: watchSpec(v, cwd),
      // Set only when asked for, so specs saved before `cron_restart` existed compare equal.
      ...(cron ? { cronRestart: cron } : {}),
      // Set only when asked for, so specs saved before checks existed compare equal.
      ...(ready ? { ready } : {}),
      ...(health ? { health } : {}),
    },
    // Fork instances share one pair of files by default (O_APPEND keeps their lines whole), so changing `instances`
    // never changes a running instance's log paths and so never restarts it. Cluster apps keep PM2's per-instance files.
    logs: logSpec(v, { name, cwd, home: ctx.home, merge: execMode === 'fork' }),
    autostart: typeof v.autostart === 'boolean' ? v.autostart : defaults.autostart,
    envSources: sources,
    origin: ctx.originFile === null ? null : { file: ctx.originFile, index: app.index },
  };
}

/**
 * `cron_restart`: a 5- or 6-field pattern croner can schedule, read in the app's `TZ` (or the daemon's local time);
 * 0 (or "0"), as in PM2, means none. A bad pattern is a problem at the value.
 */
function cronOf(
  value: unknown,
  tz: string | undefined,
  at: PathSegment[],
  ctx: NormaliseContext,
): CronSpec | undefined {
  if (value === undefined || value === 0 || (typeof value === 'string' && value.trim() === '0')) return undefined;
  const expected = 'a cron pattern such as "0 3 * * *" (or 6 fields, seconds first), or 0 for none';
  if (typeof value !== 'string' || value.trim() === '') {
    ctx.report.problem(at, `expected ${expected}; got ${JSON.stringify(value)}`);
    return undefined;
  }
  const zone = cronTimezone(tz);
  if (zone.ignored !== undefined) {
    ctx.report.warn(
      at,
      `TZ=${zone.ignored} is not an IANA time zone name; the schedule runs in the daemon's local time`,
      'value',
    );
  }
  const spec: CronSpec = { pattern: value.trim().replace(/\s+/g, ' '), timezone: zone.timezone };
  if (!ctx.cron) {
    ctx.report.problem(at, 'internal: the cron pattern could not be checked (the cron library was not loaded)');
    return undefined;
  }
  const problem = ctx.cron(spec);
  if (problem !== undefined) {
    ctx.report.problem(at, `invalid cron pattern ${JSON.stringify(value)}: ${problem}`);
    return undefined;
  }
  return spec;
}

/**
 * PM2's determineExecMode: `exec_mode` when given; otherwise `instances` set on a Node.js app means cluster mode
 * (one port shared by every instance), as an ecosystem file written for PM2 expects; `execute_command` (`-x`) and
 * every other app run in fork mode.
 */
function execModeOf(v: Record<string, unknown>, runsOnNode: boolean): 'fork' | 'cluster' {
  if (typeof v.exec_mode === 'string') return v.exec_mode.startsWith('cluster') ? 'cluster' : 'fork';
  if (v.execute_command === true) return 'fork';
  // Held sockets are how fork instances share a port; `listen` with `instances` does not mean PM2's cluster mode.
  if (v.listen !== undefined) return 'fork';
  return v.instances !== undefined && runsOnNode ? 'cluster' : 'fork';
}

/** `pid_file`: an absolute path when set (relative to the app's cwd, `~` expanded); nothing when not. */
function pidFileOf(value: unknown, cwd: string): { pidFile?: string } {
  if (typeof value !== 'string' || value.trim() === '') return {};
  return { pidFile: resolvePath(cwd, value.trim()) };
}

function namedEnvs(values: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(values)) {
    if (namedEnvKey.test(key)) out[key.slice('env_'.length)] = value as Record<string, unknown>;
  }
  return out;
}

function portOf(value: unknown, path: PathSegment[], report: Report): number | undefined {
  if (value === undefined) return undefined;
  const port = parseWhole(value);
  if (port === undefined || port < 1 || port > 65535) {
    report.problem(path, `expected a port number from 1 to 65535; got ${JSON.stringify(value)}`);
    return undefined;
  }
  return port;
}

function isNode(interpreter: string | null, nodePath: string): boolean {
  return interpreter !== null && (interpreter === nodePath || /^node(js)?[\d.]*$/.test(basename(interpreter)));
}

function exitCodes(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(parseWhole).filter((code): code is number => code !== undefined);
}

/** The watch of `tend start NAME --watch [paths]`: the app's cwd, or these paths, with the default ignores and delay. */
export function watchSpecFor(watch: true | string[], cwd: string): WatchSpec | null {
  return watchSpec({ watch }, cwd);
}

function watchSpec(v: Record<string, unknown>, cwd: string): WatchSpec | null {
  const watch = v.watch;
  const paths =
    watch === true ? [cwd] : typeof watch === 'string' ? [watch] : Array.isArray(watch) ? (watch as string[]) : [];
  if (paths.length === 0) return null;
  const userIgnore =
    v.ignore_watch === undefined
      ? []
      : Array.isArray(v.ignore_watch)
        ? (v.ignore_watch as string[])
        : [String(v.ignore_watch)];
  return {
    paths: paths.map((path) => resolvePath(cwd, path)),
    ignore: [...new Set([...defaults.watchIgnore, ...userIgnore.flatMap((glob) => ignoreGlobs(glob, cwd))])],
    delayMs: parseDuration(v.watch_delay) ?? defaults.watchDelayMs,
  };
}

/**
 * Turns an `ignore_watch` entry into globs matched against absolute paths: a plain name such as
 * `node_modules` or `*.log` matches at any depth; a relative path is anchored at `cwd`;
 * each also covers everything inside a matching folder.
 */
export function ignoreGlobs(glob: string, cwd: string): string[] {
  const trimmed = glob.trim().replace(/\/+$/, '');
  let anchored: string;
  if (trimmed.startsWith('/') || trimmed.startsWith('**')) anchored = trimmed;
  else if (!trimmed.includes('/')) anchored = `**/${trimmed}`;
  else anchored = join(cwd, trimmed.replace(/^\.\//, ''));
  return anchored.endsWith('/**') ? [anchored] : [anchored, `${anchored}/**`];
}

function logSpec(
  v: Record<string, unknown>,
  app: { name: string; cwd: string; home: string; merge: boolean },
): LogSpec {
  const merge = typeof v.merge_logs === 'boolean' ? v.merge_logs : app.merge;
  if (v.disable_logs === true) return { out: null, err: null, merge };
  const file = (value: unknown, fallback: string): string | null => {
    // A valid name has no "/" and no "..": the default path is the logs folder and the file name, joined as is.
    if (typeof value !== 'string') return `${logsFolder(app.home)}/${fallback}`;
    if (value.trim() === '/dev/null' || value.trim() === 'NULL') return null;
    return resolvePath(app.cwd, value.trim());
  };
  const spec: LogSpec = {
    out: file(v.out_file, `${app.name}-out.log`),
    err: file(v.error_file, `${app.name}-err.log`),
    merge,
  };
  // Set only when asked for: an app without them keeps the direct path, and specs saved before them compare equal.
  const dateFormat =
    typeof v.log_date_format === 'string' && v.log_date_format.trim() !== ''
      ? v.log_date_format
      : v.time === true
        ? defaults.logTimeFormat
        : undefined;
  if (dateFormat !== undefined) spec.dateFormat = dateFormat;
  if (v.log_type === 'json') spec.json = true;
  // PM2's log_file: both streams in one more file (`true`: <name>.log beside the others).
  const combined =
    v.log_file === true
      ? join(app.home, 'logs', `${app.name}.log`)
      : typeof v.log_file === 'string'
        ? file(v.log_file, '')
        : null;
  if (combined !== null) spec.combined = combined;
  const rotate = rotateSpec(v);
  if (rotate) spec.rotate = rotate;
  return spec;
}

let lastLogsFolder: { home: string; folder: string } | undefined;
/** `<home>/logs`, normalised once per load rather than for each app's two files. */
function logsFolder(home: string): string {
  if (lastLogsFolder?.home !== home) lastLogsFolder = { home, folder: join(home, 'logs') };
  return lastLogsFolder.folder;
}

// Any one of the rotation keys turns rotation on; the others take pm2-logrotate's defaults.
function rotateSpec(v: Record<string, unknown>): RotateSpec | undefined {
  if (v.max_size === undefined && v.retain === undefined && v.compress === undefined && v.date_format === undefined)
    return undefined;
  return {
    maxBytes: parseSize(v.max_size) ?? defaults.rotateMaxBytes,
    retain: parseWhole(v.retain) ?? defaults.rotateRetain,
    compress: v.compress === true,
    dateFormat:
      typeof v.date_format === 'string' && v.date_format.trim() !== '' ? v.date_format : defaults.rotateDateFormat,
  };
}

/** A limit on processes from the environment (a whole number ≥ 1), or its documented default. */
export function processLimit(variable: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env[variable]);
  return Number.isSafeInteger(given) && given >= 1 ? given : fallback;
}

/** Linux refuses an exec (E2BIG) whose one `NAME=value` is over MAX_ARG_STRLEN, 32 pages. */
const MAX_ENV_ENTRY_BYTES = 131_072;
/** Nor may all of them, with the arguments, pass a quarter of the stack limit (2 MiB by default): room is left for argv. */
const MAX_ENV_BYTES = 2 * 1024 * 1024 - 128 * 1024;

/**
 * An environment the kernel would refuse at spawn, found when the file is read: the apply would otherwise be carried
 * out up to the spawn and fail there, with E2BIG and no position.
 */
export function envSizeProblems(env: Record<string, string>): Array<{ key?: string; message: string }> {
  if (surelyFits(env)) return [];
  const problems: Array<{ key?: string; message: string }> = [];
  let total = 0;
  for (const [key, value] of Object.entries(env)) {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value) + 2;
    total += bytes;
    if (bytes > MAX_ENV_ENTRY_BYTES)
      problems.push({
        key,
        message: `${key} is ${bytes} bytes; the kernel refuses a variable over ${MAX_ENV_ENTRY_BYTES} bytes (E2BIG): pass it in a file instead`,
      });
  }
  if (total > MAX_ENV_BYTES)
    problems.push({
      message: `the environment is ${total} bytes in all; the kernel refuses over about ${MAX_ENV_BYTES} (E2BIG): pass large values in files`,
    });
  return problems;
}

/** A UTF-16 code unit is at most 3 bytes of UTF-8: on that bound alone most environments need no byte count. */
function surelyFits(env: Record<string, string>): boolean {
  let total = 0;
  for (const key in env) {
    const bound = (key.length + (env[key] as string).length) * 3 + 2;
    if (bound > MAX_ENV_ENTRY_BYTES) return false;
    total += bound;
  }
  return total <= MAX_ENV_BYTES;
}
