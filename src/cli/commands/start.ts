import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { desiredFromApps, isEcosystemFile } from '../../config/index.js';
import { paths, withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress } from '../progress.js';
import { reportResult } from '../progress.js';
import { applyDesired, loadForApply, shellEnv, type FileOptions } from './apply.js';

/** Files PM2 looks for when `start` is given nothing. */
const DEFAULT_FILES = [
  'ecosystem.config.js',
  'ecosystem.config.cjs',
  'ecosystem.config.mjs',
  'ecosystem.yml',
  'ecosystem.yaml',
  'ecosystem.json',
];

type StartOptions = FileOptions & Record<string, unknown>;

/** `tend start`: a script, an ecosystem file, or names of stopped apps — PM2's one verb for all three. */
export async function startCommand(targets: string[], options: StartOptions, appArgs: string[]): Promise<number> {
  const verbose = false;
  if (targets.length === 0) {
    const found = DEFAULT_FILES.find((f) => existsSync(f));
    if (!found) {
      process.stderr.write(
        `tend: nothing to start: give a script, an ecosystem file or an app name (no ${DEFAULT_FILES[0]} here)\n`,
      );
      return 1;
    }
    targets = [found];
  }
  const [first] = targets;
  if (targets.length === 1 && first !== undefined && isEcosystemFile(first) && existsSync(first)) {
    if (options.uid !== undefined || options.gid !== undefined) {
      process.stderr.write(
        'tend: --uid/--gid set the user of a script started from the command line; for an ecosystem file, set `uid`/`gid` in the file\n',
      );
      return 1;
    }
    // PM2's habit: the caller's environment goes to new processes, under the file's env.
    return applyDesired(await loadForApply(first, options, 'shell'), { only: options.only }, verbose);
  }
  if (targets.length === 1 && first !== undefined && looksLikeScript(first)) {
    const desired = await desiredFromApps([appFromFlags(first, options, appArgs)], {
      home: paths().home,
      envName: options.env,
      baseEnv: { kind: 'shell', vars: shellEnv() },
      cwd: process.cwd(),
      origin: 'command line',
    });
    return applyDesired(desired, { onlyNames: desired.apps.map((a) => a.name) }, verbose);
  }
  const color = useColor();
  return withDaemon(async (client) => reportResult(await callWithProgress(client, 'start', { targets }, color), color));
}

function looksLikeScript(target: string): boolean {
  if (/^\d+$/.test(target) || target === 'all') return false;
  try {
    return statSync(resolve(target)).isFile();
  } catch {
    return false;
  }
}

const numeric = (value: unknown): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** The ecosystem-file form of `tend start app.js --name api -i 2 ...`, validated like any file. */
function appFromFlags(script: string, o: StartOptions, appArgs: string[]): Record<string, unknown> {
  const app: Record<string, unknown> = { script, name: o.name ?? basename(script).replace(/\.[^.]+$/, '') };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) app[key] = value;
  };
  set('instances', numeric(o.instances));
  // PM2's habit: `-i` on a Node script means cluster mode (one port shared by every instance).
  if (
    o.instances !== undefined &&
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
  set('interpreter', o.interpreter);
  set('interpreter_args', o.interpreterArgs ?? o.nodeArgs);
  set('cwd', o.cwd);
  if (o.autorestart === false) app.autorestart = false;
  set('stop_exit_codes', typeof o.stopExitCodes === 'string' ? o.stopExitCodes.split(',').map(Number) : undefined);
  set('out_file', o.output);
  set('error_file', o.error);
  set('merge_logs', o.mergeLogs);
  // PM2's --uid/--gid: names or numbers, resolved and checked like the file's keys.
  set('uid', numeric(o.uid));
  set('gid', numeric(o.gid));
  if (appArgs.length > 0) app.args = appArgs;
  return app;
}
