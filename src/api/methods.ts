import type { AppOwner, AppSpec, DesiredState } from '../config/types.js';
import type { ApplyGuard, Plan, PlanOptions } from '../plan/types.js';
import type { ProcessStatus } from '../supervisor/status.js';
import type { ProcessEnvView, SignalOutcome, StdinOutcome } from './process-verbs.js';
import type { TargetSelection } from './selectors.js';

/** One target as the daemon reads it (a name, an id, `all`, a namespace, `/regex/`), with its script path. */
export type OneTarget = { target: string; scripts?: Record<string, string> };

/** One process as `tend ls --json` shows it (PM2's jlist field names where they exist). */
export interface ProcessView {
  id: number;
  name: string;
  namespace: string;
  instance: number;
  mode: 'fork' | 'cluster';
  pid: number | null;
  status: ProcessStatus;
  restarts: number;
  unstable_restarts: number;
  uptime_ms: number;
  cpu: number;
  memory: number;
  exit_code: number | null;
  exit_signal: string | null;
  restart_reason: string | null;
  error: string | null;
  /**
   * Why its log files cannot take its output (a full disk, no permission, a read-only file system); null when
   * they can. Optional only so views built by hand (tests, older daemons) need not name it.
   */
  log_problem?: string | null;
  /**
   * `ready:`: whether this run passed its readiness check (`ls` shows an online instance that has not as "starting");
   * null when the app has no check. Optional only so views built by hand need not name it.
   */
  ready?: boolean | null;
  /** `health:`: how its liveness check stands (unknown, passing, failing); null when the app has none. */
  health?: 'unknown' | 'passing' | 'failing' | null;
  created_at: number;
  status_since: number;
  next_restart_at: number | null;
  /** `cron_restart`: when the app's schedule runs next (epoch ms); absent when the app has no schedule. */
  next_cron_at?: number | null;
  pm_out_log_path: string | null;
  pm_err_log_path: string | null;
  /** `log_file`: the file with stdout and stderr both, or null. Optional only so views built by hand need not name it. */
  pm_log_path?: string | null;
  /** `pid_file`: this instance's pid file, or null. Optional only so views built by hand need not name it. */
  pm_pid_path?: string | null;
  /** `listen`: the sockets tend holds for the app, as the file writes them, in fd order from 3; absent when none. */
  listen?: Array<number | string>;
  script: string;
  args: string[];
  interpreter: string | null;
  interpreter_args: string[];
  cwd: string;
  user: string;
  version: string | null;
  watch: boolean;
  /** Who applied the app, short (`ls`'s SOURCE): its project, its file's name, `cli`, or `-` before owners. */
  source?: string;
  /** The whole owner record (`tend show`, `ls --json`); null for an app from before owners. */
  owner?: AppOwner | null;
  /** The module that installed the app (`tend install`), or null. Optional only so views built by hand need not name it. */
  module?: string | null;
  /**
   * What the in-app probe of a Node app reported last (flat: `event_loop_delay_p50_ms`, `heap_used_bytes`,
   * `active_handles`, …, and the app's own as `custom.<name>`); null when no probe of this process is connected.
   * Always set by the daemon; optional only so views built by hand (tests, older daemons) need not name it.
   */
  metrics?: Record<string, number> | null;
}

/**
 * One process as `tend ls`'s table reads it (its columns, `--sort`, the patterns, the summary): those fields of its
 * ProcessView and no other, a fifth of the bytes (decision 0044). The nullable ones are left out when null. A
 * ProcessView is a ProcessRow, so a daemon from before `ListParams`, which answers with views, still gives rows.
 */
export type ProcessRow = Pick<
  ProcessView,
  | 'id'
  | 'name'
  | 'namespace'
  | 'instance'
  | 'mode'
  | 'pid'
  | 'status'
  | 'restarts'
  | 'uptime_ms'
  | 'cpu'
  | 'memory'
  | 'user'
> &
  Partial<Pick<ProcessView, 'version' | 'source' | 'module' | 'ready' | 'health' | 'log_problem'>> & {
    /** Only when asked (`ListParams.owners`): the owner's project and file, for `ls --project` and `--file`. */
    owner?: Pick<AppOwner, 'project' | 'file'> | null;
  };

/** `list`'s parameter: `table` asks for ProcessRows instead of every field of every process (ProcessViews). */
export interface ListParams {
  table: true;
  /** Each row also carries its owner's project and file. */
  owners?: boolean;
}

/** One process's CPU and memory samples, oldest first: times in ms since the epoch, CPU in %, RSS in bytes. */
export interface UsageSeries {
  t: number[];
  cpu: number[];
  rss: number[];
}

/** `show` adds what only one process needs: its env with sources and its policies. */
export interface ProcessDetails extends ProcessView {
  env: Record<string, { value: string; source: string }>;
  policy: Record<string, unknown>;
  origin: { file: string; index: number } | null;
  git: { branch: string | null; revision: string | null } | null;
  /** The last state changes, oldest first. */
  history: Array<{ status: ProcessStatus; at: number }>;
  /** The actions the app registered with `tend/probe`, for `tend trigger`. */
  actions: string[];
  /** The last result of each check (`ready:`, `health:`), and the liveness failure behind the last health restart. */
  checks?: {
    readiness: CheckView | null;
    liveness: CheckView | null;
    /** "health check failed 3 times: GET /health timed out after 2s"; null when no health restart happened. */
    health_restart: string | null;
  };
}

/** One check of one instance as `show` prints it; `last` is null until it has run once in this run. */
export interface CheckView {
  kind: 'http' | 'tcp' | 'exec' | 'log';
  last: { ok: boolean; at: number; message: string } | null;
}

/** `tend profile`: a CPU profile, a heap snapshot, or a sampling heap profile, written by the app itself. */
export type ProfileKind = 'cpu' | 'heap' | 'heap-sampling';

export interface ProfileRequest {
  kind: ProfileKind;
  /** How long to profile (a heap snapshot is taken at once). */
  durationMs: number;
  /** Only this instance of the app. */
  instance?: number;
  /** Absolute: the folder for files named after the app, instance and time… */
  dir: string;
  /** …or one file (several instances: `-<instance>` before its extension). */
  file?: string;
}

/** What one instance answered to `tend trigger` (and `profile`, `inspect`). */
export interface TriggerAnswer {
  id: number;
  name: string;
  instance: number;
  pid: number | null;
  ok: boolean;
  /** The action's result, when ok. */
  answer?: unknown;
  /** What went wrong, for people. */
  error?: string;
  /** Why it failed: the action threw, the app has no such action, no answer in time, no probe, or the process went away. */
  reason?: 'failed' | 'missing' | 'timeout' | 'no-probe' | 'disconnected';
}

/** Progress lines streamed while an apply runs. */
export type ApplyEvent =
  /** The plan being carried out, computed in turn with every other change: what `apply` prints is what it did. */
  | { kind: 'plan'; plan: Plan }
  | { kind: 'action'; text: string }
  | {
      kind: 'instance';
      app: string;
      instance: number;
      id: number;
      status: ProcessStatus | 'ready' | 'failed';
      pid: number | null;
      detail?: string;
    };

export interface ApplyResult {
  plan: Plan;
  failed: Array<{
    app: string;
    instance: number;
    id: number;
    reason: string;
    errLog: string | null;
    lastLines: string[];
  }>;
  /** Apps not started because an app they depend on (`depends_on`) failed or is not up; absent when none. */
  notStarted?: Array<{ app: string; reason: string }>;
  /** `apply --atomic` that failed: each app it touched, put back (`previous spec`) or deleted (it was new). */
  restored?: Array<{ app: string; how: 'previous spec' | 'deleted' }>;
  /** The `tend history` entry of this change; absent when none was recorded. */
  historyId?: number;
}

/** What `resurrect` did: the apply's answer, what was wrong with the dump, and each saved app's instances then and now. */
export interface ResurrectResult extends ApplyResult {
  /** A damaged dump replaced by its backup copy, said for people. */
  warnings: string[];
  /**
   * Every app of the dump, with the status of each instance (by instance index) when it was saved and now (null: it
   * has no such instance now). `resurrected` is false for an app that was already managed, and left as it was.
   * `notBack`: the instances that ran when saved (a live status) and are not online now.
   */
  apps: Array<{
    name: string;
    saved: ProcessStatus[];
    now: Array<ProcessStatus | null>;
    resurrected: boolean;
    notBack: number[];
  }>;
}

/** Where the web dashboard listens, as `tend dashboard` prints it. */
export interface DashboardInfo {
  /** The page's address, without the token. */
  url: string;
  host: string;
  port: number;
  token: string;
  tokenFile: string;
  /** The read-only token Prometheus sends to scrape `/metrics` (and nothing else). */
  metricsToken: string;
  metricsTokenFile: string;
  /** `/metrics` needs no token (`tend dashboard --metrics-public`). */
  metricsPublic: boolean;
  /** The token was made just now (first `tend dashboard` in this home). */
  created: boolean;
  /** The dashboard was already serving there; nothing was restarted. */
  reused: boolean;
}

/** Method names and their params; the daemon's dispatcher and the CLI's client both use this map. */
export interface Methods {
  /** `warnings`: what went wrong when this daemon started (a broken state file set aside). */
  ping: { params: undefined; result: { pong: true; pid: number; version: string; home: string; warnings?: string[] } };
  /** Every process: full views, or with `ListParams` only `ls`'s rows (ResultOf types each call). */
  list: { params: ListParams | undefined; result: ProcessView[] | ProcessRow[] };
  /** Secret-looking env values are masked unless `showSecrets` (only the home's owner can ask: the socket is 0600). */
  show: { params: OneTarget & { showSecrets?: boolean }; result: ProcessDetails[] };
  /** `fingerprints`: also hash what the plan looked at (`Plan.observed`), for `tend plan -o`. */
  plan: {
    /** `desiredHash`: the CLI's hash of `desired` without its owner (src/cli/plan-call.ts): keep it for `planKnown`. */
    params: { desired: DesiredState; options: PlanOptions; fingerprints?: boolean; desiredHash?: string };
    result: Plan;
  };
  /** A `plan` of the desired state a `plan` sent under this hash, with a fresh owner; null when it is not known. */
  planKnown: {
    params: { desiredHash: string; owner: AppOwner; options: PlanOptions; fingerprints?: boolean };
    result: Plan | null;
  };
  apply: { params: { desired: DesiredState; options: PlanOptions } & ApplyGuard; result: ApplyResult };
  stop: { params: TargetSelection; result: ProcessView[] };
  restart: { params: TargetSelection; result: ApplyResult };
  /** Rolling zero-downtime reload for cluster apps; fork apps are restarted (the events say so). */
  reload: { params: TargetSelection; result: ApplyResult };
  start: { params: TargetSelection; result: ApplyResult };
  delete: { params: TargetSelection; result: { deleted: string[] } };
  scale: { params: { app: string; count: string }; result: ApplyResult };
  save: { params: undefined; result: { file: string; apps: number } };
  resurrect: { params: undefined; result: ResurrectResult };
  flush: { params: TargetSelection; result: { files: string[] } };
  /** Log writers told to reopen their files, and the apps that write their files directly (they reopen only on restart). */
  reloadLogs: {
    params: undefined;
    result: {
      writers: Array<{ app: string; instance: number; pid: number; files: string[] }>;
      /** `moved`: files the app still writes under a path that now names another file, or nothing (a logrotate moved it). */
      direct: Array<{ app: string; files: string[]; moved?: string[] }>;
    };
  };
  kill: { params: undefined; result: { stopped: number } };
  /** The daemon saves its state and exits, leaving every app running for the next daemon to take back. */
  exit: { params: undefined; result: { pid: number; version: string } };
  dashboard: { params: { host: string; port: number; metricsPublic?: boolean }; result: DashboardInfo };
  dashboardStop: { params: undefined; result: { stopped: boolean } };
  /** Runs an action the app registered with `tend/probe` in every instance of the target; one answer per instance. */
  trigger: { params: OneTarget & { action: string; arg?: string }; result: TriggerAnswer[] };
  /** Takes a profile in each instance (or `instance`) through its probe; each answer is `{ file, bytes }`. */
  profile: { params: OneTarget & ProfileRequest; result: TriggerAnswer[] };
  /** Opens (or with `close`, closes) the inspector of each instance on 127.0.0.1; each answer is its ws:// address. */
  inspect: { params: OneTarget & { instance?: number; close?: boolean }; result: TriggerAnswer[] };
  // PM2's verbs on running processes (src/daemon/process-verbs.ts).
  /** Restart counters, unstable restarts, created-at and uptime back to zero (PM2's `reset`). */
  reset: { params: TargetSelection; result: ProcessView[] };
  /** A signal to each process's main pid (PM2's `sendSignal`). */
  sendSignal: { params: TargetSelection & { signal: string }; result: SignalOutcome[] };
  /** The environment each process starts with; secret-looking values masked unless `showSecrets`. */
  env: { params: OneTarget & { showSecrets?: boolean }; result: ProcessEnvView[] };
  /** Lines to each process's stdin, a newline after each; no lines only checks that they could be sent. */
  send: { params: OneTarget & { lines: string[] }; result: StdinOutcome[] };
  /** The list `save` wrote, emptied: `resurrect` then brings nothing back (PM2's `cleardump`). */
  cleardump: { params: undefined; result: { file: string } };
  /**
   * Streams `BusEvent`s (process status changes, apps' `{ type, data }` messages) as events until the client closes
   * the connection; a connection of its own. The programmatic API's `launchBus`.
   */
  subscribe: { params: undefined; result: null };
  /** PM2's sendDataToProcessId: the packet, with `id`, to one process over its IPC channel. */
  sendData: { params: { id: number; packet: Record<string, unknown> }; result: { success: true } };
  /**
   * Read-only: each app's stored spec, env in clear (the socket is the home owner's, as `show --showSecrets`), and the
   * status of each of its instances; `names` keeps only those apps. `tend init --from-running` writes a file from it.
   */
  specs: { params: { names?: string[] } | undefined; result: AppSpecView[] };
}

/** One app as the daemon keeps it: its spec, and the status of each instance by instance index. */
export interface AppSpecView {
  spec: AppSpec;
  statuses: ProcessStatus[];
  /** Some instance is live (tend keeps it running), as supervisor/status.ts counts it: a stopped app says false. */
  running: boolean;
}

export type MethodName = keyof Methods;

/** What a call answers given its params: `list` with ListParams answers rows, without them full views. */
export type ResultOf<M extends MethodName, P> = M extends 'list'
  ? P extends ListParams
    ? ProcessRow[]
    : ProcessView[]
  : Methods[M]['result'];
