/**
 * The desired state: what the ecosystem file asks for, validated and normalised.
 * Every path is absolute, every default applied; nothing downstream reads the raw file.
 */

import type { LivenessSpec, ReadinessSpec } from './check-types.js';

/** What runs. A change here restarts (fork) or reloads (cluster) the app's instances. */
export interface RunSpec {
  /** Absolute path of the script, or a command name found on PATH. */
  script: string;
  args: string[];
  /** Program that runs the script (absolute path or a name on PATH); null runs the script directly. */
  interpreter: string | null;
  interpreterArgs: string[];
  cwd: string;
  /** The complete environment of the process, before tend adds its per-instance variables. */
  env: Record<string, string>;
  execMode: 'fork' | 'cluster';
  /** Env var that receives the instance index (PM2: instance_var). */
  instanceVar: string;
  /** Env var set to its base value plus the instance index (PM2: increment_var). */
  incrementVar: string | null;
  /** false: Node apps start without tend's in-app probe (`probe: false`, PM2's `pmx: false`). Absent means on, so older specs compare equal. */
  probe?: boolean;
  /** Run as this user id (`uid`/`user`, names resolved when the file is read); absent: as the daemon. Needs a root daemon. */
  uid?: number;
  /** Run with this group id (`gid`, else the primary group of `uid`'s user); absent: the daemon's. Needs a root daemon. */
  gid?: number;
  /**
   * `pid_file` (PM2; `-p/--pid`): absolute path of a file holding the pid of each instance, suffixed `-<instance>` as
   * PM2 suffixes it (`api.pid` → `api-0.pid`), written at each spawn and removed when the process exits. Absent: none.
   */
  pidFile?: string;
  /**
   * `listen`: sockets the daemon binds and holds for the app, handed to each instance as fds 3, 4, … in this order
   * (systemd's LISTEN_FDS). Absent when none, so older specs compare equal.
   */
  listen?: ListenAddress[];
}

/** One socket of `listen`: a TCP port (on `host`, or every interface when absent), or a unix socket's absolute path. */
export type ListenAddress = { port: number; host?: string } | { path: string };

/** Where a process's output goes. A change here restarts the app (its files are reopened). */
export interface LogSpec {
  /** Absolute path of the stdout log, or null to discard. `{instance}` is not used: see outFileFor. */
  out: string | null;
  err: string | null;
  /** One file for all instances (true) or one per instance suffixed `-<instance>` (false). */
  merge: boolean;
  /** Prefix each line with its time in this day.js format (`time: true` gives "YYYY-MM-DDTHH:mm:ss"); absent: no prefix. */
  dateFormat?: string;
  /** `log_type: json`: each line is written as a JSON object; absent or false: as the app wrote it. */
  json?: boolean;
  /** Built-in rotation; absent: the files grow until something else rotates them. */
  rotate?: RotateSpec;
  /**
   * `log_file` (PM2; `-l/--log`): absolute path of a file that receives stdout and stderr both, line by line, besides
   * `out` and `err` (suffixed `-<instance>` unless `merge`). Needs a log writer. Absent: none.
   */
  combined?: string;
}

/** Rotation of an app's log files by tend's log writer (set per app, or for every app with a top-level `log_rotate`). */
export interface RotateSpec {
  /** A file is rotated once it reaches this many bytes. */
  maxBytes: number;
  /** Rotated files kept per log file; older ones are deleted. */
  retain: number;
  /** Rotated files are gzipped (`.gz`), in the background. */
  compress: boolean;
  /** day.js format of the date in rotated names: `api-out.log` → `api-out__<date>.log`. */
  dateFormat: string;
}

/** File watching: restart once per burst of changes. */
export interface WatchSpec {
  /** Absolute paths of folders or files to watch. */
  paths: string[];
  /** Glob patterns (picomatch) of paths never to react to. */
  ignore: string[];
  /** Quiet time after the last change before the restart (ms). */
  delayMs: number;
}

/** How tend keeps the process alive. A change here updates in place, with no restart. */
export interface PolicySpec {
  autorestart: boolean;
  maxRestarts: number;
  minUptimeMs: number;
  restartDelayMs: number;
  /** First delay of the exponential backoff (ms), or null for a fixed restart_delay. */
  expBackoffRestartDelayMs: number | null;
  stopExitCodes: number[];
  /** Restart when the process tree's RSS goes over this many bytes; null for no limit. */
  maxMemoryRestartBytes: number | null;
  killSignal: NodeJS.Signals;
  killTimeoutMs: number;
  listenTimeoutMs: number;
  waitReady: boolean;
  shutdownWithMessage: boolean;
  watch: WatchSpec | null;
  /** `cron_restart`: restart (or, with autorestart off, start) on this schedule; absent when the app has none. */
  cronRestart?: CronSpec;
  /** `ready:`: the check that makes an instance ready; absent when none (ready as wait_ready or the spawn says). */
  ready?: ReadinessSpec;
  /** `health:`: the check that restarts an instance that keeps failing it; absent when none. */
  health?: LivenessSpec;
}

/** A schedule: a cron pattern of 5 fields, or 6 with seconds first, and the time zone it is read in. */
export interface CronSpec {
  pattern: string;
  /** The app's `TZ` (an IANA zone name), or null for the daemon's local time. */
  timezone: string | null;
}

/** Where one env var of a process came from, for `tend show`. */
export type EnvSource =
  | 'base' /** tend's fixed base (PATH, HOME, USER, LANG) used by `tend apply` */
  | 'shell' /** the environment of the CLI that ran `tend start` */
  | 'env' /** the app's `env` in the ecosystem file */
  | `env_${string}` /** the app's `env_<name>` for `--env <name>` */
  | `deploy.${string}.env` /** the file's `deploy.<name>.env` for `--env <name>`, under the app's `env` (PM2) */
  | 'env_file' /** a dotenv file named by the app's `env_file`, under `env` */
  | 'cli' /** a CLI flag such as --port */
  | 'user' /** HOME, USER and LOGNAME of the user the app runs as (`uid`) */
  | 'module' /** set by `tend install` for a module's app: its name and its `tend set` configuration */;

/** One app of the desired state. */
export interface AppSpec {
  name: string;
  namespace: string;
  run: RunSpec;
  instances: number;
  policy: PolicySpec;
  logs: LogSpec;
  /** Start the app on apply (PM2: autostart); false registers it stopped. */
  autostart: boolean;
  /** For each key of run.env, where its value came from. */
  envSources: Record<string, EnvSource>;
  /** The ecosystem file and app index it came from, if any. */
  origin: { file: string; index: number } | null;
  /** `depends_on`: apps of the same file this one starts after and stops before. Absent when none, so older specs compare equal. */
  dependsOn?: Dependency[];
}

/** When a dependency counts as up: online, or ready (`healthy` is `ready` until liveness checks exist). */
export type DependencyCondition = 'started' | 'ready' | 'healthy';

/** One app another one depends on (`depends_on`, docker compose's semantics). */
export interface Dependency {
  /** The app's name (after `append_env_to_name`). */
  app: string;
  condition: DependencyCondition;
  /** Restart the dependent after this app is restarted or reloaded. */
  restart: boolean;
}

/** A warning about the file that does not stop it from being used. */
export interface ConfigWarning {
  message: string;
  path?: string;
  position?: { file: string; line: number; column: number };
}

export interface DesiredState {
  /** Absolute path of the ecosystem file, or null when apps came from CLI flags. */
  file: string | null;
  /** The file's top-level `project:`, when it sets one: its apps are owned by that name, wherever the file moves. */
  project?: string;
  apps: AppSpec[];
  warnings: ConfigWarning[];
  /** Who asks for these apps (set by the CLI before it sends them): the daemon records it on each app it applies. */
  owner?: AppOwner;
}

/**
 * Where an app's desired state came from. Prune and take-over compare `key` only; the rest is the record `tend show`
 * prints (which file, at which content and commit, applied when and by whom).
 */
export interface AppOwner {
  /** `project:NAME` when the file sets `project:`, else `file:/absolute/path`; `cli` for apps started from flags. */
  key: string;
  project?: string;
  file?: string;
  /** sha256 of the file's bytes, hex. */
  hash?: string;
  /** When the file sits in a git work tree. */
  git?: { commit: string; branch: string | null; remote: string | null; dirty: boolean };
  /** When the apply that recorded it ran (ms since the epoch), and as which user. */
  at: number;
  user: string;
}
