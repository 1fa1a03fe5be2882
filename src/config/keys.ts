/**
 * Every app option tend accepts, with PM2's aliases. The JSON Schema (schemas/ecosystem.schema.json)
 * holds the types and the editor help; this table holds what the code needs: which names are
 * aliases of which, which options tend acts on, and how to say in words what a valid value is.
 * A unit test keeps the two in step.
 */

export interface KeyInfo {
  /** Other names PM2 accepts for this option. */
  aliases: readonly string[];
  /** false: accepted so a PM2 file loads, but tend does nothing with it yet (the user is warned). */
  implemented: boolean;
  /** What a valid value looks like, for messages such as `expected <this>; got "lots"`. */
  expected: string;
}

const bool = 'true or false';
const duration = 'a duration: milliseconds, or a string such as "500ms", "10s", "5m" or "1h"';
const stringList = 'a string or a list of strings';
const logPath = 'a file path, or "/dev/null" to discard the output';

function key(expected: string, implemented = true, aliases: readonly string[] = []): KeyInfo {
  return { aliases, implemented, expected };
}

/** App options by canonical (snake_case) name. */
export const appKeys: Readonly<Record<string, KeyInfo>> = {
  script: key('a script path or a command name', true, ['exec', 'cmd', 'command']),
  name: key('a non-empty name without "/", "\\", "..", NUL or a leading "." (it names the log files)'),
  namespace: key('a non-empty string'),
  cwd: key('a folder path'),
  args: key(stringList),
  interpreter: key('a program name or path, or "none" to run the script directly', true, ['exec_interpreter']),
  interpreter_args: key(stringList, true, ['node_args']),
  instances: key('a whole number ≥ -CPUs, or "max"'),
  exec_mode: key('"fork" or "cluster"'),
  env: key('a mapping of variable names to values'),
  filter_env: key('true, false, a part of variable names to drop, or a list of them'),
  port: key('a port number from 1 to 65535'),
  autorestart: key(bool),
  autostart: key(bool),
  max_restarts: key('a whole number ≥ 0'),
  min_uptime: key(duration),
  restart_delay: key(duration),
  exp_backoff_restart_delay: key(duration),
  stop_exit_codes: key('an exit code from 0 to 255, or a list of them'),
  max_memory_restart: key('a size: bytes, or a string such as "512K", "150M" or "1G"'),
  kill_timeout: key(duration),
  kill_signal: key('a signal name such as "SIGTERM" or "SIGINT"'),
  listen_timeout: key(duration),
  wait_ready: key(bool),
  shutdown_with_message: key(bool),
  watch: key('true, false, a path, or a list of paths'),
  ignore_watch: key('a glob or folder name, or a list of them'),
  watch_delay: key(duration),
  out_file: key(logPath, true, ['out', 'output', 'out_log']),
  error_file: key(logPath, true, ['error', 'err', 'err_file', 'err_log']),
  merge_logs: key(bool, true, ['combine_logs']),
  disable_logs: key(bool),
  log_type: key('"json" or "raw"'),
  log_date_format: key('a date format string such as "YYYY-MM-DD HH:mm Z"'),
  time: key(bool),
  max_size: key('a size: bytes, or a string such as "512K", "10M" or "1G"'),
  retain: key('a whole number ≥ 0'),
  compress: key(bool),
  date_format: key('a date format string such as "YYYY-MM-DD_HH-mm-ss"'),
  instance_var: key('an environment variable name'),
  increment_var: key('an environment variable name'),
  probe: key(bool, true, ['pmx']),
  uid: key('a user name or id', true, ['user']),
  gid: key('a group name or id'),
  log_file: key('true, false or a file path', true, ['log']),
  pid_file: key('a file path', true, ['pid']),
  append_env_to_name: key(bool),
  execute_command: key(bool),
  cron_restart: key('a cron pattern such as "0 3 * * *" (or 6 fields, seconds first), or 0 for none', true, ['cron']),
  ready: key('a check: a mapping with one of http, tcp, exec or log, and interval, timeout, threshold'),
  health: key('a check: a mapping with one of http, tcp, exec or log, and interval, timeout, failures, start_period'),
  depends_on: key('a list of app names, or a mapping of app names to { condition, restart }'),
  env_file: key('a file path, or a list of them'),
  listen: key('a port, "host:port", a unix socket path, or a list of them'),

  // Accepted for PM2 compatibility, not acted on yet.
  watch_options: key('a mapping of chokidar options', false),
  kill_retry_time: key(duration, false),
  treekill: key(bool, false),
  source_map_support: key(bool, false),
  disable_source_map_support: key(bool, false),
  vizion: key(bool, false),
  automation: key(bool, false),
  trace: key(bool, false),
  disable_trace: key(bool, false),
  v8: key(bool, false),
  event_loop_inspector: key(bool, false),
  deep_monitoring: key(bool, false),
  io: key('a mapping of APM options', false),
  username: key('a user name', false),
  force: key(bool, false),
  post_update: key('a list of commands', false),
  name_prefix: key('a string', false),
  install_url: key('a URL', false),
  windowsHide: key(bool, false),
  write: key(bool, false),
};

/** `env_<name>`: the environment overlay chosen with `--env <name>` (`env_file` is a key of its own). */
export const namedEnvKey = /^env_(?!file$).+$/;

/** Top-level keys of an ecosystem object (the rest of the file is apps). */
export const fileKeys = ['apps', 'pm2', 'project', 'deploy', 'static', 'log_rotate'] as const;

/** The options of the top-level `log_rotate` (rotation for every app of the file that does not set its own). */
export const rotateKeys = ['max_size', 'retain', 'compress', 'date_format'] as const;

const aliasToCanonical = new Map<string, string>();
for (const [canonical, info] of Object.entries(appKeys)) {
  aliasToCanonical.set(canonical, canonical);
  for (const alias of info.aliases) aliasToCanonical.set(alias, canonical);
}

/** The canonical name of an option given by any of its names, or undefined if unknown. */
export function canonicalKey(name: string): string | undefined {
  if (namedEnvKey.test(name)) return name;
  return aliasToCanonical.get(name);
}

/** Every name an option can be written with (canonical names and aliases), for suggestions. */
export function knownKeyNames(): string[] {
  return [...aliasToCanonical.keys()];
}

/** The entry for an option given by any of its names; `env_<name>` shares `env`'s. */
export function keyInfo(name: string): KeyInfo | undefined {
  const canonical = canonicalKey(name);
  if (canonical === undefined) return undefined;
  return appKeys[namedEnvKey.test(canonical) ? 'env' : canonical];
}
