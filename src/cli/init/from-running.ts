import { isAbsolute, relative } from 'node:path';
import type { AppSpec } from '../../config/types.js';
import { formatListenAddress } from '../../config/listen.js';
import { defaults } from '../../core/defaults.js';
import { diffSpecs } from '../../plan/diff.js';
import type { FieldChange } from '../../plan/types.js';

/** One app as the daemon keeps it (the `specs` method), and whether any of its instances runs. */
export interface RunningApp {
  spec: AppSpec;
  /** No instance is live: the file says `autostart: false`, so applying it starts nothing. */
  stopped: boolean;
}

/**
 * Validates and normalises one app entry as `tend plan` would read it from the written file (clean base environment,
 * relative paths from the file's folder): the spec and how many warnings reading it gives; null when the entry is not
 * valid. The real one is config's desiredFromApps.
 */
export type Normalise = (entry: Record<string, unknown>) => Promise<{ spec: AppSpec; warnings: number } | null>;

/** One app of the written file. */
export interface WrittenApp {
  entry: Record<string, unknown>;
  /** Keys of `env` that came from the shell of `tend start` (the file marks them). */
  shellEnv: string[];
  /** What `tend plan` will still show for this app: what the file cannot say (or `autostart` of a stopped app). */
  differences: FieldChange[];
}

/**
 * The ecosystem-file entry of a running app, with only the keys that are not defaults: every key is written first,
 * then each one is dropped if the app, read back as `tend plan` reads it, stays the same without it. So the file says
 * exactly what runs, and a default that changes in a later tend is not frozen into it.
 *
 * `env` holds only what `tend apply`'s fixed base (PATH, HOME, USER, LOGNAME, SHELL, LANG) does not give the same way:
 * the app's own variables, then those of the shell that ran `tend start` that the base lacks or sets otherwise (the
 * file marks them, to prune), and nothing the base gives alike. That is exactly what `tend plan` needs to find no
 * change; `shellEnv: false` leaves the shell's out (a clean file, and one restart of those apps at the next apply).
 */
export async function entryForApp(
  app: RunningApp,
  baseDir: string,
  normalise: Normalise,
  options: { shellEnv: boolean } = { shellEnv: true },
): Promise<WrittenApp> {
  let entry = fullEntry(app.spec, baseDir, app.stopped);
  const withoutEnv = (await normalise(entry))?.spec;
  const env: Record<string, string> = {};
  const shellEnv: string[] = [];
  // The app's own variables first, in the order it got them; then the shell's, by name.
  const keys = Object.keys(app.spec.run.env);
  const fromShell = (key: string): boolean => app.spec.envSources[key] === 'shell';
  for (const key of [...keys.filter((k) => !fromShell(k)), ...keys.filter(fromShell).sort()]) {
    const value = app.spec.run.env[key]!;
    if (withoutEnv?.run.env[key] === value || (fromShell(key) && !options.shellEnv)) continue;
    env[key] = value;
    if (fromShell(key)) shellEnv.push(key);
  }
  if (Object.keys(env).length > 0) entry = insertAfter(entry, 'instances', 'env', env);

  // A key is left out when the file reads the same without it. Compared with the whole entry as read back, not with
  // the running spec: what no file can say (a variable the base sets and the app lacks) must not keep every key in.
  // A key whose absence brings a warning (`instances` without `exec_mode`) stays, so the file reads without one.
  const baseline = await normalise(entry);
  const same = (read: Awaited<ReturnType<Normalise>>): boolean =>
    read !== null &&
    baseline !== null &&
    read.warnings <= baseline.warnings &&
    diffSpecs(baseline.spec, read.spec).all.length === 0;

  // Shorter forms first (the tail of interpreter_args after what the interpreter brings, `time` for the default format).
  const interpreterArgs = entry.interpreter_args as string[] | undefined;
  if (interpreterArgs) {
    for (let from = interpreterArgs.length; from > 0; from--) {
      const trial =
        from === interpreterArgs.length
          ? without(entry, 'interpreter_args')
          : { ...entry, interpreter_args: interpreterArgs.slice(from) };
      if (same(await normalise(trial))) {
        entry = trial;
        break;
      }
    }
  }
  if (entry.log_date_format === defaults.logTimeFormat) {
    const trial = insertAfter(without(entry, 'log_date_format'), 'merge_logs', 'time', true);
    if (same(await normalise(trial))) entry = trial;
  }
  for (const key of Object.keys(entry)) {
    if (key === 'name' || key === 'script' || key === 'env') continue;
    const trial = without(entry, key);
    if (same(await normalise(trial))) entry = trial;
  }
  const final = (await normalise(entry))?.spec;
  const differences =
    final === undefined ? [] : diffSpecs(app.spec, final).all.map(({ field, from, to }) => ({ field, from, to }));
  return { entry, shellEnv, differences };
}

/** Every key of the app, written out; `stopped` adds `autostart: false`. */
function fullEntry(spec: AppSpec, baseDir: string, stopped: boolean): Record<string, unknown> {
  const { run, policy, logs } = spec;
  const entry: Record<string, unknown> = { name: spec.name };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) entry[key] = value;
  };
  set('script', scriptFor(run.script, run.cwd));
  set('args', run.args.length > 0 ? run.args : undefined);
  set('cwd', pathFrom(baseDir, run.cwd));
  set('interpreter', run.interpreter ?? 'none');
  set('interpreter_args', run.interpreterArgs.length > 0 ? run.interpreterArgs : undefined);
  set('instances', spec.instances);
  set('exec_mode', run.execMode);
  set('namespace', spec.namespace);
  set('instance_var', run.instanceVar);
  set('increment_var', run.incrementVar ?? undefined);
  set('probe', run.probe === false ? false : undefined);
  set('uid', run.uid);
  set('gid', run.gid);
  // Keys newer than this file's first version, read loosely so that a spec without them still reads.
  set('pid_file', (run as { pidFile?: string }).pidFile);
  set('listen', run.listen?.map(formatListenAddress));
  set('autorestart', policy.autorestart);
  set('max_restarts', policy.maxRestarts);
  set('min_uptime', duration(policy.minUptimeMs));
  set('restart_delay', duration(policy.restartDelayMs));
  set('exp_backoff_restart_delay', policy.expBackoffRestartDelayMs ?? undefined);
  set('stop_exit_codes', policy.stopExitCodes.length > 0 ? policy.stopExitCodes : undefined);
  set('max_memory_restart', policy.maxMemoryRestartBytes === null ? undefined : size(policy.maxMemoryRestartBytes));
  set('kill_signal', policy.killSignal);
  set('kill_timeout', duration(policy.killTimeoutMs));
  set('listen_timeout', duration(policy.listenTimeoutMs));
  set('wait_ready', policy.waitReady);
  set('shutdown_with_message', policy.shutdownWithMessage);
  if (policy.watch) {
    set(
      'watch',
      policy.watch.paths.map((path) => pathFrom(run.cwd, path)),
    );
    const user = userIgnores(policy.watch.ignore, run.cwd);
    set('ignore_watch', user.length > 0 ? user : undefined);
    set('watch_delay', duration(policy.watch.delayMs));
  }
  if (logs.out === null && logs.err === null) set('disable_logs', true);
  else {
    set('out_file', logs.out ?? '/dev/null');
    set('error_file', logs.err ?? '/dev/null');
  }
  set('merge_logs', logs.merge);
  set('log_date_format', logs.dateFormat);
  set('log_type', logs.json ? 'json' : undefined);
  set('log_file', (logs as { combined?: string }).combined);
  if (logs.rotate) {
    // Any one of these turns rotation on: max_size last, so that it is the one kept when all are defaults.
    set('retain', logs.rotate.retain);
    set('compress', logs.rotate.compress);
    set('date_format', logs.rotate.dateFormat);
    set('max_size', size(logs.rotate.maxBytes));
  }
  set('depends_on', dependsOnEntry(spec.dependsOn));
  set('autostart', stopped ? false : undefined);
  return entry;
}

/** `depends_on` in its short form (`[db]`) when every entry has the defaults, else in its long form. */
function dependsOnEntry(dependsOn: AppSpec['dependsOn']): unknown {
  if (!dependsOn || dependsOn.length === 0) return undefined;
  if (dependsOn.every((d) => d.condition === 'started' && !d.restart)) return dependsOn.map((d) => d.app);
  return Object.fromEntries(
    dependsOn.map((d) => [d.app, { condition: d.condition, ...(d.restart ? { restart: true } : {}) }]),
  );
}

/** A script in its cwd is written relative to it (as people write it); a command name or a command line as it is. */
function scriptFor(script: string, cwd: string): string {
  if (!isAbsolute(script)) return script;
  const inside = relative(cwd, script);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : script;
}

/** A path under `base` relative to it ('.' for base itself), any other absolute. */
function pathFrom(base: string, path: string): string {
  const inside = relative(base, path);
  if (inside === '') return '.';
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** `ignore_watch` as written: the defaults left out, each `**\/name` pair (from a plain name) back to the name. */
function userIgnores(globs: string[], cwd: string): string[] {
  const out: string[] = [];
  const given = new Set(globs);
  for (const glob of globs) {
    if (
      (defaults.watchIgnore as readonly string[]).includes(glob) ||
      (glob.endsWith('/**') && given.has(glob.slice(0, -3)))
    )
      continue;
    if (glob.startsWith('**/') && !glob.slice(3).includes('/')) out.push(glob.slice(3));
    else out.push(pathFrom(cwd, glob));
  }
  return out;
}

function duration(ms: number): string | number {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return ms;
}

function size(bytes: number): string | number {
  for (const [unit, power] of [
    ['G', 3],
    ['M', 2],
    ['K', 1],
  ] as const) {
    if (bytes % 1024 ** power === 0) return `${bytes / 1024 ** power}${unit}`;
  }
  return bytes;
}

function without(entry: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...entry };
  delete copy[key];
  return copy;
}

/** The entry with `key` set, placed after `after` (or at the end) so the file reads in the usual order. */
function insertAfter(
  entry: Record<string, unknown>,
  after: string,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(entry)) {
    if (k === key) continue;
    out[k] = v;
    if (k === after) {
      out[key] = value;
      placed = true;
    }
  }
  if (!placed) out[key] = value;
  return out;
}
