import { basename } from 'node:path';
import { TendError } from '../../core/errors.js';

/** `tend start`'s options as commander gives them (PM2's flags, camel-cased). */
export type StartOptions = {
  name?: string;
  instances?: string;
  env?: string;
  only?: string;
  watch?: boolean | string;
  ignoreWatch?: string;
  watchDelay?: string;
  maxMemoryRestart?: string;
  restartDelay?: string;
  expBackoffRestartDelay?: string;
  maxRestarts?: string;
  minUptime?: string;
  killTimeout?: string;
  killSignal?: string;
  listenTimeout?: string;
  waitReady?: boolean;
  shutdownWithMessage?: boolean;
  interpreter?: string;
  interpreterArgs?: string;
  nodeArgs?: string;
  cwd?: string;
  autorestart?: boolean;
  stopExitCodes?: string;
  output?: string;
  error?: string;
  log?: boolean | string;
  pid?: string;
  mergeLogs?: boolean;
  logDateFormat?: string;
  time?: boolean;
  namespace?: string;
  executeCommand?: boolean;
  cronRestart?: string;
  cron?: string;
  uid?: string;
  gid?: string;
  force?: boolean;
  updateEnv?: boolean;
  daemon?: boolean;
};

const numeric = (value: unknown): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** What a `tend start` target runs: a script file, a command line for the shell, or a program found on PATH. */
export type ScriptKind = 'file' | 'shell' | 'command';

/**
 * The app's name when `--name` is not given: a file's name without its extension (PM2), a command line as written
 * (PM2 names `pm2 start "node -e …"` after the whole line), a program on PATH by its name.
 */
export function nameFor(script: string, kind: ScriptKind): string {
  if (kind === 'shell') return script.trim();
  return basename(script).replace(/\.[^.]+$/, '') || script;
}

/**
 * The ecosystem-file form of `tend start app.js --name api -i 2 ...`, validated like any file. PM2's flags are only
 * other spellings of the file's keys.
 */
export function appFromFlags(
  script: string,
  kind: ScriptKind,
  o: StartOptions,
  appArgs: string[],
): Record<string, unknown> {
  const app: Record<string, unknown> = { script, name: o.name ?? nameFor(script, kind) };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) app[key] = value;
  };
  set('instances', numeric(o.instances));
  // PM2's habit: `-i` on a Node script means cluster mode (one port shared by every instance); `-x` keeps fork mode.
  if (o.executeCommand) app.exec_mode = 'fork';
  else if (
    o.instances !== undefined &&
    kind === 'file' &&
    /\.(c|m)?js$/.test(script) &&
    (o.interpreter === undefined || o.interpreter === 'node')
  )
    app.exec_mode = 'cluster';
  if (o.watch !== undefined) app.watch = o.watch === true ? true : String(o.watch).split(',');
  set('ignore_watch', typeof o.ignoreWatch === 'string' ? o.ignoreWatch.split(',') : undefined);
  set('watch_delay', numeric(o.watchDelay));
  set('max_memory_restart', numeric(o.maxMemoryRestart));
  set('restart_delay', numeric(o.restartDelay));
  set('exp_backoff_restart_delay', numeric(o.expBackoffRestartDelay));
  set('max_restarts', numeric(o.maxRestarts));
  set('min_uptime', numeric(o.minUptime));
  set('kill_timeout', numeric(o.killTimeout));
  set('kill_signal', o.killSignal);
  set('listen_timeout', numeric(o.listenTimeout));
  if (o.waitReady) app.wait_ready = true;
  if (o.shutdownWithMessage) app.shutdown_with_message = true;
  set('interpreter', o.interpreter);
  set('interpreter_args', o.interpreterArgs ?? o.nodeArgs);
  set('cwd', o.cwd);
  set('namespace', o.namespace);
  if (o.autorestart === false) app.autorestart = false;
  set('stop_exit_codes', typeof o.stopExitCodes === 'string' ? o.stopExitCodes.split(',').map(Number) : undefined);
  set('out_file', o.output);
  set('error_file', o.error);
  // `-l` alone: <name>.log beside the other logs; `-l path`: that file.
  set('log_file', o.log);
  set('pid_file', o.pid);
  set('merge_logs', o.mergeLogs);
  set('log_date_format', o.logDateFormat);
  if (o.time) app.time = true;
  // Stored as the file's key; tend warns that it does not act on it yet.
  set('cron_restart', o.cronRestart ?? o.cron);
  // PM2's --uid/--gid: names or numbers, resolved and checked like the file's keys.
  set('uid', numeric(o.uid));
  set('gid', numeric(o.gid));
  if (appArgs.length > 0) app.args = appArgs;
  return app;
}

/**
 * PM2's `--no-daemon` runs PM2 in the foreground. tend has no foreground runtime: rather than pretend, it says so
 * before anything is started.
 */
export function refuseNoDaemon(o: StartOptions): void {
  if (o.daemon !== false) return;
  throw new TendError(
    'USAGE',
    '--no-daemon is not supported: tend has no foreground mode, its apps always run under its daemon. ' +
      'Run `tend start …` and then `tend logs` to follow their output (Ctrl-C leaves them running), ' +
      'or in a container run the program itself as the main process',
  );
}
