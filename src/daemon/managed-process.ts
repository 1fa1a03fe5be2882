import { createActor, type Actor } from 'xstate';
import type { AppSpec, PolicySpec } from '../config/types.js';
import { isTendError } from '../core/errors.js';
import { defaults } from '../core/defaults.js';
import { pidFileFor } from '../runtime/log-paths.js';
import { newRunMarker, RUN_MARKER_VAR } from '../runtime/run-marker.js';
import {
  logPathsFor,
  type InstanceChannel,
  type SpawnRequest,
  type SpawnedProcess,
} from '../runtime/spawn-instance.js';
import type { LogProblem } from '../runtime/log-health.js';
import type { ProcessRef } from '../runtime/kill-tree.js';
import { processMachine, type ProcessContext } from '../supervisor/process.machine.js';
import type { InstanceChecks, LivenessState } from '../supervisor/check-policy.js';
import type { CarriedCounters } from '../supervisor/process.types.js';
import { isOverMemoryLimit } from '../supervisor/restart-policy.js';
import { type ProcessStatus, statusOf } from '../supervisor/status.js';
import { systemProcessOs, type ProcessOs } from './process-os.js';
import { drainOverChannel, isDrainedNotice } from './fork-drain.js';
import { loadsListenPreload } from '../probe/preload-for.js';

/** How many state changes `tend show` can list per process. */
const HISTORY_LENGTH = 20;
/**
 * How often a process a previous daemon started is looked for in /proc, since no exit event comes for it: every
 * second while it runs, and every 25 ms once it has been signalled, so a stop or restart waits no longer than usual.
 */
const ADOPTED_EXIT_IDLE_MS = 1000;
const ADOPTED_EXIT_SIGNALLED_MS = 25;

/** What a restarted daemon needs to take a live process back instead of starting a new one. */
export interface AdoptInfo {
  pid: number;
  startTime: number;
  onlineSince: number;
  restarts: number;
  unstableRestarts: number;
  createdAt: number;
}

/** How a process is started: directly (fork mode) or through its app's cluster primary. */
export interface Launcher {
  spawn(req: SpawnRequest): Promise<SpawnedProcess>;
  /** Cluster workers: stop taking connections and finish the requests they have; resolves with what is still open. */
  drain?(pid: number, timeoutMs: number): Promise<number>;
}

/**
 * A cluster worker is up when it listens (or says `ready`), not when it is spawned; with a `ready:` check it is ready
 * only once the check passes after that (its port is shared: before it listens, the old workers would answer).
 */
function machinePolicy(spec: AppSpec): PolicySpec {
  return spec.run.execMode === 'cluster' ? { ...spec.policy, waitReady: true } : spec.policy;
}

export interface ManagedProcessOptions {
  id: number;
  instance: number;
  spec: AppSpec;
  autostart: boolean;
  adopt?: AdoptInfo;
  launcherFor: (spec: AppSpec) => Launcher;
  /** Counters of the process this one replaces in a rolling reload. */
  carry?: CarriedCounters;
  /** Variables every app gets from the daemon (TEND_HOME). */
  extraEnv?: Record<string, string>;
  /** Called after every state change, so the daemon can persist and report. */
  onChange: (process: ManagedProcess) => void;
  /** Called with each message the app sends over its IPC channel but `ready` (PM2's bus: `process:msg`). */
  onMessage?: (process: ManagedProcess, message: unknown) => void;
  now?: () => number;
  /** Signals, /proc lookups and the adopted process's exit poll; the real OS unless a test gives fakes. */
  os?: ProcessOs;
}

/**
 * One managed process: the XState machine that holds its policy, wired to the runtime that spawns
 * and kills it. The machine decides; this class only carries out its actions and feeds it events.
 */
export class ManagedProcess {
  readonly id: number;
  readonly instance: number;
  spec: AppSpec;
  /** pid and /proc start time of the current process, for recycled-pid checks. */
  startTime: number | null = null;
  /** Exits the process had while tend expected it up; used by apply to report a failed start. */
  crashes = 0;
  usage: { cpu: number; rss: number } | null = null;
  /** Why its log files cannot take its output right now (full disk, no permission), from the daemon's periodic check. */
  logProblem: LogProblem | null = null;
  /**
   * Lines it lost, or is losing, for a reason that periodic check cannot see again later (a log file deleted under it,
   * a crash on a full disk): shown in `ls`/`show` until `until`.
   */
  logNote: (LogProblem & { until: number }) | null = null;
  /** The last state changes with their times, newest last, for `tend show`. */
  readonly history: Array<{ status: ProcessStatus; at: number }> = [];
  /**
   * One machine definition for every process, its effects routed to the process that owns the actor. A machine
   * given its actions per process (`provide()` in the constructor) was a copy of the whole definition each time:
   * with 100 apps, 1,200 state nodes and their closures: 2.9 MiB of heap, 3.3 MiB of the daemon's RSS.
   */
  private static readonly machine = processMachine.provide({
    actions: {
      spawnProcess: ({ self }) => ManagedProcess.owners.get(self)?.spawn(),
      signalProcess: ({ self }, params) =>
        ManagedProcess.owners.get(self)?.requestStop(params.signal, params.withMessage),
      forceKill: ({ self }) => ManagedProcess.owners.get(self)?.signal('SIGKILL'),
      notify: ({ self }, params) => ManagedProcess.owners.get(self)?.recordStatus(params.status),
    },
  });
  private static readonly owners = new WeakMap<object, ManagedProcess>();
  private readonly actor: Actor<typeof processMachine>;
  private readonly onChange: (process: ManagedProcess) => void;
  private readonly onMessage: ((process: ManagedProcess, message: unknown) => void) | undefined;
  /** The pid of a process a previous daemon started, while it runs: the daemon is not its parent. */
  private adoptedPid: number | null = null;
  /** Ends the /proc watch of an adopted process, while one runs. */
  private endExitPoll: (() => void) | null = null;
  private readonly now: () => number;
  private readonly os: ProcessOs;
  private currentPid: number | null = null;
  /** The current process writes its log files itself (no log writer between). */
  private logsDirect = false;
  private channel: InstanceChannel | null = null;
  /** The tree as it was when the stop began: children that left the group are still found after the main pid exits. */
  private known: ProcessRef[] = [];
  private readonly extraEnv: Record<string, string>;
  private readonly launcherFor: (spec: AppSpec) => Launcher;
  /** The last results of its readiness and liveness checks, kept by the daemon's CheckScheduler; null without checks. */
  checks: InstanceChecks | null = null;
  /** The marker every process of the current run carries (TEND_RUN), so what it left behind is found at its end. */
  private runMarker: string | null = null;
  /** The pid file written for the current process (`pid_file`), removed when it exits. */
  private pidFile: string | null = null;

  constructor(options: ManagedProcessOptions) {
    this.id = options.id;
    this.instance = options.instance;
    this.spec = options.spec;
    this.now = options.now ?? Date.now;
    this.os = options.os ?? systemProcessOs;
    this.extraEnv = options.extraEnv ?? {};
    this.launcherFor = options.launcherFor;
    if (options.adopt) {
      this.currentPid = options.adopt.pid;
      this.startTime = options.adopt.startTime;
      this.adoptedPid = options.adopt.pid;
      this.runMarker = this.os.runMarkerOf(options.adopt.pid);
      // The daemon that started it wrote it.
      this.pidFile = pidFileFor(options.spec, options.instance);
    }
    this.onChange = options.onChange;
    this.onMessage = options.onMessage;
    this.actor = createActor(ManagedProcess.machine, {
      input: {
        policy: machinePolicy(options.spec),
        name: options.spec.name,
        carry: options.carry,
        autostart: options.autostart,
        at: this.now(),
        adopt: options.adopt
          ? {
              pid: options.adopt.pid,
              onlineSince: options.adopt.onlineSince,
              restarts: options.adopt.restarts,
              unstableRestarts: options.adopt.unstableRestarts,
              createdAt: options.adopt.createdAt,
            }
          : undefined,
      },
    });
    this.actor.subscribe({ error: (err) => console.error(`process ${this.id} machine error`, err) });
    // Before start(): its first entry action may already ask for a spawn.
    ManagedProcess.owners.set(this.actor, this);
    this.actor.start();
    if (options.adopt) this.watchAdoptedExit(options.adopt.pid, ADOPTED_EXIT_IDLE_MS);
  }

  get name(): string {
    return this.spec.name;
  }

  // Read for every process each second (sampler, history): from the state alone, without describing the whole snapshot.
  get status(): ProcessStatus {
    return statusOf(this.actor.getSnapshot().value);
  }

  get context(): ProcessContext {
    return this.actor.getSnapshot().context;
  }

  get pid(): number | null {
    return this.context.pid ?? null;
  }

  /** How long the current run's process has waited for a CPU since it started (ms), or null when unknown. */
  runQueueWaitMs(): number | null {
    const pid = this.pid;
    return pid === null ? null : this.os.runQueueWaitMs(pid);
  }

  /**
   * When the current run became ready: its `ready:` check passed, or, without one, it said `ready` (wait_ready, a
   * cluster worker's listen); null until then. Everything that waits for "up" (apply, reload, scale, depends_on) reads it.
   */
  get readyAt(): number | null {
    return this.context.readyAt;
  }

  /** How its liveness check (`health:`) stands: 'unknown' without one or before its first counted result. */
  get liveness(): LivenessState {
    return this.checks?.liveness?.state ?? 'unknown';
  }

  /** Its readiness check passed (threshold times in a row) for the run with this pid. */
  markReady(pid: number): void {
    if (pid !== this.currentPid || this.context.readyAt !== null || this.status !== 'online') return;
    this.actor.send({ type: 'READY', at: this.now() });
  }

  /** Its liveness check failed too often for the run with this pid: restarted as after a crash, if autorestart is on. */
  reportUnhealthy(pid: number, reason: string): void {
    if (pid !== this.currentPid) return;
    this.actor.send({ type: 'UNHEALTHY', at: this.now(), reason });
  }

  get logPaths(): { out: string | null; err: string | null } {
    return logPathsFor(this.spec, this.instance);
  }

  start(): void {
    this.actor.send({ type: 'START', at: this.now() });
  }

  stop(): void {
    this.actor.send({ type: 'STOP', at: this.now() });
  }

  /** Stops, draining a cluster worker (or a fork app on held sockets) first so no request it accepted is cut. */
  async gracefulStop(): Promise<void> {
    const launcher = this.launcherFor(this.spec);
    const pid = this.currentPid;
    if (launcher.drain && pid !== null && this.status === 'online')
      await launcher.drain(pid, this.spec.policy.killTimeoutMs);
    else if (loadsListenPreload(this.spec) && this.channel && this.status === 'online')
      await drainOverChannel(this.channel, this.spec.policy.killTimeoutMs);
    this.stop();
  }

  /** Sends a message to the app over its IPC channel (PM2's sendDataToProcessId); false when it has none. */
  send(message: unknown): boolean {
    return this.channel?.send(message) ?? false;
  }

  /** Stop then start (or start, when it is not running); `cron` when its schedule asked, for `show`'s restart reason. */
  restart(reason: 'manual' | 'cron' = 'manual'): void {
    this.actor.send({ type: 'RESTART', at: this.now(), reason });
  }

  /** New spec: policy applies at once; what runs applies from the next spawn. */
  updateSpec(spec: AppSpec): void {
    this.spec = spec;
    this.actor.send({ type: 'POLICY', policy: machinePolicy(spec), at: this.now() });
  }

  /** `tend reset`: counters back to zero, uptime from now; the process itself is not touched. */
  resetCounters(): void {
    this.actor.send({ type: 'RESET_COUNTERS', at: this.now() });
    // Not a status change, so no `notify`: the daemon must still persist and report the new counters.
    this.onChange(this);
  }

  reportMemory(rss: number): void {
    // The machine only acts on it over the limit (its guard is the same test): a step a second per app is wasted work.
    if (!isOverMemoryLimit(this.spec.policy, rss)) return;
    this.actor.send({ type: 'MEMORY', rss, at: this.now() });
  }

  reportFilesChanged(): void {
    this.actor.send({ type: 'FILES_CHANGED', at: this.now() });
  }

  /**
   * Calls `listener` after each step of the machine (a status change, or anything else it recorded: a pid, a readiness,
   * an exit); the process's own fields (crashes, readyAt) are up to date by then. Returns the unsubscribe.
   */
  onUpdate(listener: () => void): () => void {
    const sub = this.actor.subscribe(() => listener());
    return () => sub.unsubscribe();
  }

  /** Resolves once the machine is in one of the given states. */
  waitFor(statuses: ProcessStatus[], timeoutMs: number): Promise<boolean> {
    if (statuses.includes(this.status)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.unsubscribe();
        resolve(false);
      }, timeoutMs);
      const sub = this.actor.subscribe((snapshot) => {
        if (statuses.includes(statusOf(snapshot.value))) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve(true);
        }
      });
    });
  }

  dispose(): void {
    this.stopExitPoll();
    this.actor.stop();
  }

  private requestStop(signal: NodeJS.Signals, withMessage: boolean | undefined): void {
    if (withMessage && this.channel?.send('shutdown')) return;
    this.signal(signal);
  }

  private recordStatus(status: ProcessStatus): void {
    this.history.push({ status, at: this.now() });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    queueMicrotask(() => this.onChange(this));
  }

  private spawn(): void {
    const spec = this.spec;
    const runMarker = newRunMarker(this.id);
    this.runMarker = runMarker;
    this.launcherFor(spec)
      .spawn({
        spec,
        instance: this.instance,
        id: this.id,
        extraEnv: { ...this.extraEnv, [RUN_MARKER_VAR]: runMarker },
      })
      .then(
        (child) => {
          this.currentPid = child.pid;
          this.startTime = child.startTime;
          this.channel = child.channel;
          this.logsDirect = child.logsDirect === true;
          this.pidFile = pidFileFor(spec, this.instance);
          const pidTrouble = this.pidFile === null ? null : this.os.writePidFile(this.pidFile, child.pid);
          if (pidTrouble) console.error(`tend daemon: ${pidTrouble}`);
          child.channel?.onMessage((message) => {
            if (message === 'ready' && this.currentPid === child.pid) {
              // With a `ready:` check, only the check says the app is ready; a cluster worker's listen only brings it online.
              const type = this.spec.policy.ready === undefined ? 'READY' : 'LISTENING';
              this.actor.send({ type, at: this.now() });
            } else if (this.currentPid === child.pid && !isDrainedNotice(message)) this.onMessage?.(this, message);
          });
          this.actor.send({ type: 'SPAWNED', pid: child.pid, at: this.now() });
          void child.exited.then(({ code, signal }) => this.exited(child.pid, code, signal));
        },
        (err: unknown) => {
          const message = isTendError(err) ? err.message : String(err);
          this.actor.send({ type: 'SPAWN_FAILED', message, at: this.now() });
        },
      );
  }

  private exited(pid: number | null, code: number | null, signal: string | null): void {
    // A late exit of a process we already replaced must not touch the new one.
    if (pid === null || pid !== this.currentPid) return;
    this.currentPid = null;
    this.adoptedPid = null;
    if (this.pidFile !== null) this.os.removePidFile(this.pidFile, pid);
    this.pidFile = null;
    this.stopExitPoll();
    this.channel = null;
    this.usage = null;
    const status = this.status;
    const crashed = status === 'online' || status === 'launching';
    if (crashed) this.crashes += 1;
    if (crashed && this.logsDirect) this.noteLossOnFullDisk(code, signal);
    // Children the app left behind would keep its port and files: they go with it.
    this.os.signalTree(pid, 'SIGKILL', { known: this.known });
    this.known = [];
    // This run's marker, taken before EXITED: the machine may start the next run at once, which has a marker of its own.
    const home = this.extraEnv.TEND_HOME;
    const marker = this.runMarker;
    this.actor.send({ type: 'EXITED', code, signal, at: this.now() });
    // Those that left its tree too (a session of their own, reparented once it exited) carry its run marker. Found
    // after the next start is under way, not before: a crash loop's restart does not wait for a scan of /proc.
    if (home !== undefined && marker !== null) setImmediate(() => this.os.killRun(home, marker));
  }

  /**
   * An app writing its logs itself loses the lines the disk refuses, and a Node app exits on that write's ENOSPC. The
   * periodic check shows a full disk only while it is full: a disk filled for a moment would leave no trace of the
   * lines lost and the crash, so the loss is noted when the crash finds the disk full, and shown for an hour.
   */
  private noteLossOnFullDisk(code: number | null, signal: string | null): void {
    const files = [this.logPaths.out, this.logPaths.err].filter((f): f is string => f !== null);
    const at = this.now();
    void this.os.fullLogDisk(files).then((full) => {
      if (full === null) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const time = new Date(at).toLocaleTimeString('en-GB');
      this.logNote = {
        ...full,
        message:
          `lines lost at ${time}: the app ${how} writing ${full.file} itself on a full disk (ENOSPC); ` +
          'it runs behind a log writer since, which holds its lines until the disk has room',
        until: at + defaults.logLossNoticeMs,
      };
      this.onChange(this);
    });
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.currentPid === null) return;
    const options = this.startTime ? { startTime: this.startTime } : {};
    const seen = new Map(this.known.map((r) => [r.pid, r]));
    for (const ref of this.os.snapshotTree(this.currentPid, options)) seen.set(ref.pid, ref);
    this.known = [...seen.values()];
    this.os.signalTree(this.currentPid, signal, { ...options, known: this.known });
    if (this.currentPid === this.adoptedPid) this.watchAdoptedExit(this.currentPid, ADOPTED_EXIT_SIGNALLED_MS);
  }

  /** Looks for an adopted process in /proc every `everyMs` (replacing the previous watch) and reports its exit. */
  private watchAdoptedExit(pid: number, everyMs: number): void {
    this.stopExitPoll();
    const startTime = this.startTime;
    this.endExitPoll = this.os.every(everyMs, () => {
      if (this.currentPid !== pid) return this.stopExitPoll();
      if (startTime !== null ? this.os.isSameProcess(pid, startTime) : this.os.isRunning(pid)) return;
      this.stopExitPoll();
      this.exited(pid, null, null);
    });
  }

  private stopExitPoll(): void {
    this.endExitPoll?.();
    this.endExitPoll = null;
  }
}
