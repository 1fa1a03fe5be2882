// The types of `require('tend')` / `import tend from 'tend'`, PM2's programmatic API under PM2's names. This file imports
// nothing: its declaration is what the package ships (dist/api.d.ts), and the implementation (index.ts) is checked
// against it.

/** PM2's callback: an error, or null and the result. */
export type Callback<T> = (err: Error | null, result?: T) => void;

/** PM2's status words (`waiting restart` with a space, as PM2 spells it). */
export type ProcessStatus = 'launching' | 'online' | 'stopping' | 'stopped' | 'waiting restart' | 'errored';

/** One process as `pm2.list()` / `pm2 jlist` describes it. */
export interface ProcessDescription {
  pid: number;
  name: string;
  pm_id: number;
  monit: { memory: number; cpu: number };
  pm2_env: {
    name: string;
    namespace: string;
    status: ProcessStatus;
    pm_id: number;
    restart_time: number;
    unstable_restarts: number;
    pm_uptime: number;
    created_at: number;
    exit_code: number | null;
    exec_mode: 'fork_mode' | 'cluster_mode';
    instances: number;
    pm_exec_path: string;
    pm_cwd: string;
    exec_interpreter: string;
    node_args: string[];
    args: string[];
    watch: boolean;
    pm_out_log_path: string | null;
    pm_err_log_path: string | null;
    pm_log_path: string | null;
    pm_pid_path: string | null;
    env: Record<string, string>;
    [key: string]: unknown;
  };
}

/** What `start` takes: PM2's app options (any key of an ecosystem file's app), or `{ apps: [...] }`. */
export interface StartOptions {
  name?: string;
  script?: string;
  args?: string | string[];
  cwd?: string;
  instances?: number | 'max';
  exec_mode?: 'fork' | 'cluster' | 'fork_mode' | 'cluster_mode';
  interpreter?: string;
  interpreter_args?: string | string[];
  node_args?: string | string[];
  env?: Record<string, string | number | boolean>;
  max_memory_restart?: number | string;
  autorestart?: boolean;
  watch?: boolean | string | string[];
  /** With an ecosystem file: only these apps (names, comma-separated or a list). */
  only?: string | string[];
  apps?: StartOptions[];
  [key: string]: unknown;
}

/** A bus packet about a process, as PM2's bus carries it. */
export interface BusProcessRef {
  pm_id: number;
  name: string;
  namespace: string;
  [key: string]: unknown;
}

/** `process:event`: a process started, came online, exited, was stopped or errored. */
export interface ProcessEventPacket {
  event: 'start' | 'online' | 'exit' | 'stop' | 'errored';
  manually: boolean;
  process: BusProcessRef & {
    status: ProcessStatus;
    restart_time: number;
    exit_code: number | null;
    pid: number | null;
  };
  at: number;
}

/** `log:out` / `log:err`: one line an app wrote, with its newline. */
export interface LogPacket {
  process: BusProcessRef & { rev: null };
  at: number;
  data: string;
}

/** `process:msg` (or the `type` an app gave): an app's `process.send({ type, data })`. */
export interface MessagePacket {
  process: BusProcessRef & { versioning: null };
  at: number;
  data: unknown;
}

/**
 * PM2's bus: `on('process:event' | 'log:out' | 'log:err' | 'process:msg' | <type an app sent>, packet => …)`, and
 * patterns (`on('log:*', (stream, packet) => …)`, `on('*', (event, packet) => …)`). `close()` ends it.
 */
export interface Bus {
  on(event: 'process:event', listener: (packet: ProcessEventPacket) => void): this;
  on(event: 'log:out' | 'log:err', listener: (packet: LogPacket) => void): this;
  on(event: 'process:msg', listener: (packet: MessagePacket) => void): this;
  on(event: string, listener: BusListener): this;
  once(event: string, listener: BusListener): this;
  off(event: string, listener: BusListener): this;
  removeListener(event: string, listener: BusListener): this;
  removeAllListeners(event?: string): this;
  close(): void;
}

/** A listener of any event or pattern: a packet, after what a pattern's `*` matched. */
// biome-ignore lint/suspicious/noExplicitAny: a listener of any event takes what that event carries, as with EventEmitter
export type BusListener = (...args: any[]) => void;

/** An apply's answer (also `start`'s when it started something): the plan carried out and the instances that failed. */
export interface ApplyResult {
  plan: {
    actions: Array<{ type: string; app: string; [key: string]: unknown }>;
    unchanged: string[];
    orphans: string[];
  };
  failed: Array<{
    app: string;
    instance: number;
    id: number;
    reason: string;
    errLog: string | null;
    lastLines: string[];
  }>;
}

/** `plan`'s answer: what apply would do. */
export type Plan = ApplyResult['plan'];

/** Options of `apply` and `plan` for an ecosystem file. */
export interface FileOptions {
  /** Merge `env_<name>` over `env`. */
  env?: string;
  /** Only these apps. */
  only?: string | string[];
  /** Also delete apps the file no longer names. */
  prune?: boolean;
}

export interface ListOptions {
  /** Env values whose names look secret (KEY, SECRET, TOKEN, PASSWORD…) in clear instead of `***`. */
  showSecrets?: boolean;
}

/** What an app's action answered in one instance (`trigger`). */
export interface TriggerAnswer {
  id: number;
  name: string;
  instance: number;
  pid: number | null;
  ok: boolean;
  answer?: unknown;
  error?: string;
}

/** `sendDataToProcessId`'s packet: it reaches the app as it is, through `process.on('message')`. */
export interface DataPacket {
  id?: number;
  type?: string;
  topic?: unknown;
  data: unknown;
  [key: string]: unknown;
}

type Target = string | number;

/**
 * tend's programmatic API, with PM2's names and callback style (`tend.connect(err => …)`); every call also returns a
 * promise. It is a client of tend's daemon (which `connect` starts if none runs), never the daemon itself.
 */
export interface TendApi {
  /** Starts the daemon if none runs (PM2's `noDaemonMode` is not supported: tend's daemon is always its own process). */
  connect(cb?: Callback<void>): Promise<void>;
  connect(noDaemonMode: boolean, cb?: Callback<void>): Promise<void>;
  /** Closes every bus this API opened; the process can then exit. Apps and the daemon keep running. */
  disconnect(cb?: Callback<void>): Promise<void>;
  /** A script, an ecosystem file (`.config.js`, `.yml`, `.json`), an app's options or `{ apps }`, or a stopped app's name. */
  start(target: string | StartOptions, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  start(target: string, options: StartOptions, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  stop(target: Target, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  restart(target: Target, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  restart(target: Target, options: object, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  /** Zero-downtime rolling reload of a cluster app; a fork app is restarted. */
  reload(target: Target, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  reload(target: Target, options: object, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  delete(target: Target, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  list(cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  list(options: ListOptions, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  describe(target: Target, cb?: Callback<ProcessDescription[]>): Promise<ProcessDescription[]>;
  /** `tend apply FILE`: the file's apps exactly (the caller's shell environment does not leak in). */
  apply(file: string, cb?: Callback<ApplyResult>): Promise<ApplyResult>;
  apply(file: string, options: FileOptions, cb?: Callback<ApplyResult>): Promise<ApplyResult>;
  /** `tend plan FILE`: what apply would do; nothing changes. */
  plan(file: string, cb?: Callback<Plan>): Promise<Plan>;
  plan(file: string, options: FileOptions, cb?: Callback<Plan>): Promise<Plan>;
  /** `N`, `+N` or `-N` instances. */
  scale(name: string, count: number | string, cb?: Callback<ApplyResult>): Promise<ApplyResult>;
  sendSignalToProcessName(signal: string | number, name: Target, cb?: Callback<unknown>): Promise<unknown>;
  sendDataToProcessId(id: number, packet: DataPacket, cb?: Callback<{ success: true }>): Promise<{ success: true }>;
  sendDataToProcessId(
    packet: DataPacket & { id: number },
    cb?: Callback<{ success: true }>,
  ): Promise<{ success: true }>;
  trigger(target: Target, action: string, cb?: Callback<TriggerAnswer[]>): Promise<TriggerAnswer[]>;
  trigger(target: Target, action: string, param: unknown, cb?: Callback<TriggerAnswer[]>): Promise<TriggerAnswer[]>;
  launchBus(cb?: Callback<Bus>): Promise<Bus>;
  /** Closes the buses `launchBus` opened. */
  disconnectBus(cb?: Callback<void>): Promise<void>;
  /** `tend save`. */
  dump(cb?: Callback<{ file: string; apps: number }>): Promise<{ file: string; apps: number }>;
  /** `tend resurrect`: the saved apps back in their saved status. */
  resurrect(cb?: Callback<unknown>): Promise<unknown>;
  flush(target?: Target, cb?: Callback<{ files: string[] }>): Promise<{ files: string[] }>;
  reloadLogs(cb?: Callback<unknown>): Promise<unknown>;
  /** `tend kill`: every app stopped, then the daemon. */
  killDaemon(cb?: Callback<{ stopped: number }>): Promise<{ stopped: number }>;
}
