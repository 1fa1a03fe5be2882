import { join } from 'node:path';
import { flushFile } from '../runtime/log-files.js';
import { spawnInstance } from '../runtime/spawn-instance.js';
import { SpawnPacer } from '../runtime/spawn-pacer.js';
import { PrimaryLink, isCluster } from '../runtime/cluster/primary-link.js';
import { killTreeAndWait } from '../runtime/kill-tree.js';
import { isSameProcess } from '../runtime/process-tree.js';
import { createUsageSampler } from '../runtime/usage-sampler.js';
import type { SampleRoot } from '../runtime/sample-schedule.js';
import { LogHealthMonitor } from './log-health-monitor.js';
import { watchFiles } from '../runtime/file-watcher.js';
import { logPathsFor } from '../runtime/log-paths.js';
import { defaults } from '../core/defaults.js';
import { TendError } from '../core/errors.js';
import type { TendPaths } from '../core/home.js';
import type { AppSpec, DesiredState } from '../config/types.js';
import { observedFingerprints, movedApps, planScope, staleError } from '../plan/fingerprint.js';
import { deniedError, gateViolations } from '../plan/gates.js';
import { ownerLabel } from '../plan/ownership.js';
import { planApply } from '../plan/plan-apply.js';
import type { ApplyGuard, Plan, PlanOptions } from '../plan/types.js';
import type { ApplyEvent, ApplyResult, Methods, ProcessDetails, ProcessView, ResurrectResult } from '../api/methods.js';
import { AppRegistry } from './app-registry.js';
import { restartDependents, stopInDependencyOrder } from './dependents.js';
import { executePlan } from './execute-plan.js';
import { historyKind, ownersOf, restorePlan, specsOf, summaryOf, touchedApps } from './apply-record.js';
import type { SettleOptions } from './settle.js';
import { HistoryWriter, type HistoryEntry } from '../runtime/history.js';
import { stopAll } from './stop-processes.js';
import type { Launcher, ManagedProcess } from './managed-process.js';
import { rollingReload } from './rolling-reload.js';
import { settle } from './settle.js';
import { KnownDesired } from './known-desired.js';
import { writeStateAtomically, type StoredProcess, type StoredState } from './state-store.js';
import { type FoundProcess, runningById, stopFound } from './found-processes.js';
import { resurrect } from './resurrect.js';
import { EventBus } from './event-bus.js';
import { sendData, subscribeUntilClosed } from './bus-methods.js';
import type { BusEvent } from '../api/bus.js';
import { StateWriter } from './state-writer.js';
import { loadState } from './load-state.js';
import { detailsOf, viewOf } from './views.js';
import { listRows } from './list-rows.js';
import { UsageHistory } from './usage-history.js';
import { DashboardSlot } from '../dashboard/slot.js';
import { daemonBackend } from './dashboard-backend.js';
import type { WriterLaunch } from '../logs/spawn-writer.js';
import { needsWriter } from '../logs/writer-config.js';
import { signalWritersToReopen } from '../logs/writer-registry.js';
import { probeArgs } from '../probe/preload-args.js';
import { preloadFor } from '../probe/preload-for.js';
import { ListenSockets } from './listen-sockets.js';
import { type DaemonMessage, PROBE_SOCKET_NAME } from '../probe/protocol.js';
import type { SpawnRequest, SpawnedProcess } from '../runtime/spawn-instance.js';
import { forkRequest } from './fork-request.js';
import type { ProfileRequest, TriggerAnswer } from '../api/methods.js';
import { profileFileFor } from './profile-files.js';
import { isOverMemoryLimit } from '../supervisor/restart-policy.js';
import { isLive } from '../supervisor/status.js';
import { actionAtRun } from '../supervisor/cron-policy.js';
import { CronTimers } from './cron-timers.js';
import { ProbeServer } from './probe-server.js';
import { movedLogFiles } from '../runtime/held-files.js';
import { turnWatchOffForStopped } from './watch-off.js';
import { unknownTargetsError, type TargetSelection } from '../api/selectors.js';
import { environmentOf, sendToStdin, signalProcesses } from './process-verbs.js';
import { askPrimariesToExit } from '../runtime/cluster/primary-exit.js';
import { CheckScheduler } from './check-scheduler.js';

type Emit = (event: ApplyEvent) => void;

/**
 * The daemon's brain: the registry of apps, the plan executor, persistence and the samplers.
 * Socket handling lives in server.ts; this class knows nothing of the wire.
 */
export class Daemon {
  readonly registry: AppRegistry;
  /** Mutating commands run one after another, so two CLIs never interleave on one app. */
  private queue: Promise<unknown> = Promise.resolve();
  /** state.json, written 20 ms after a change (see persistSoon). */
  private readonly stateWriter: StateWriter;
  /** `tend history`: each apply, start and delete, with the specs before and after (src/runtime/history.ts). */
  private readonly history: HistoryWriter;
  private readonly watchers = new Map<string, { key: string; close: () => Promise<void> }>();
  private readonly sampler;
  /** What the sampler reads on each tick; see its `roots`. */
  private readonly sampleRoots: SampleRoot[] = [];
  /** The last hour of CPU and memory per process, for the dashboards' charts. */
  readonly usageHistory = new UsageHistory(defaults.usageHistory);
  /** Status changes and apps' messages for `subscribe` (the programmatic API's launchBus). */
  private readonly events = new EventBus();
  /** The web dashboard, served from this process once `tend dashboard` asks (its code is loaded then, not before). */
  private readonly dashboard: DashboardSlot;
  /** `cron_restart`: one timer per app with a schedule; a run goes through the command queue like `tend restart`. */
  private readonly cronTimers = new CronTimers((app) => {
    this.serial(async () => this.runSchedule(app)).catch((err: unknown) =>
      console.error(`tend daemon: the cron_restart run of ${app} failed:`, err),
    );
  });

  /** One link per cluster app to its primary process, created on first use. */
  private readonly primaries = new Map<string, PrimaryLink>();
  /** The sockets of apps with `listen`, held here for the app's life and handed to each of its instances. */
  private readonly listenSockets = new ListenSockets();
  /** Spawns of a big apply go in batches, the daemon answering between them (`tend ls` during a 500-app apply). */
  private readonly spawnPacer = new SpawnPacer(defaults.spawnBudgetMs);
  private readonly forkLauncher: Launcher = {
    spawn: async (req) => {
      const listenFds = req.spec.run.listen ? await this.listenSockets.fdsFor(req.spec) : undefined;
      const full = { ...forkRequest(req, this.paths.home, this.distDir), listenFds };
      return this.prelaunched?.(full) ?? spawnInstance(full, this.logWriter(), (launch) => this.spawnPacer.run(launch));
    },
  };
  /** A spawn already made for this very request, taken over (tend-runtime starts apps before it sets up the daemon). */
  prelaunched: ((req: SpawnRequest) => Promise<SpawnedProcess> | null) | null = null;
  /** Variables every process gets from the daemon. */
  private readonly extraEnv: Record<string, string>;
  /** Where the in-app probes of Node apps report; they reconnect to whichever daemon serves the home. */
  private readonly probes: ProbeServer;
  /** Full disks, unwritable and deleted log files, found every few seconds and shown by `ls`/`show`. */
  /** Every app's readiness and liveness checks (`ready:`, `health:`), on one timer while some app has one. */
  private readonly checkScheduler = new CheckScheduler(
    () => this.registry.processes(),
    (p) => this.changed(p),
  );
  /** Ids of cluster workers being replaced, ready first, after a failed liveness check or over their memory limit. */
  private readonly replacing = new Set<number>();
  /** The last `plan`'s desired state, so the next plan of the same file is one hash (src/daemon/known-desired.ts). */
  private readonly knownDesired = new KnownDesired();
  /** The ids of the processes the state file names, as last written: only those may be spawned (`recordedFirst`). */
  private recordedIds = new Set<number>();
  private readonly logHealth: LogHealthMonitor<ManagedProcess>;

  constructor(
    private readonly paths: TendPaths,
    private readonly version: string,
    /** Where the bundled entry points live (the cluster primary and worker wrapper sit beside the daemon). */
    private readonly distDir: string,
  ) {
    this.history = new HistoryWriter(paths.home);
    this.logHealth = new LogHealthMonitor(
      () => this.registry.processes(),
      (p) => this.changed(p),
      { localFolder: paths.logsDir },
    );
    this.stateWriter = new StateWriter(
      paths.stateFile,
      () => this.snapshot(),
      (err) => console.error(`cannot write ${paths.stateFile}:`, err),
      20,
      (state) => {
        this.recordedIds = idsIn(state);
      },
    );
    this.dashboard = new DashboardSlot(paths.home, () => daemonBackend(this));
    this.probes = new ProbeServer(join(paths.home, PROBE_SOCKET_NAME), {
      idleEvery: defaults.probeIdleEvery,
      holdMs: defaults.probeReadHoldMs,
    });
    // Apps run without metrics rather than the daemon not starting: a failure here is only logged.
    this.probes.listen().catch((err: unknown) => console.error('tend daemon: cannot serve the probe socket:', err));
    this.extraEnv = { TEND_HOME: paths.home };
    this.registry = new AppRegistry(
      (p) => this.changed(p),
      (spec) => this.recordedFirst(this.launcherFor(spec)),
      this.extraEnv,
    );
    this.registry.onAppMessage = (p, message) => this.events.appMessage(p, message);
    this.registry.onAppGone = (name) => this.listenSockets.release(name);
    this.registry.holdsSockets = (spec) => this.listenSockets.holds(spec);
    this.checkScheduler.replaceUnhealthy = (p, pid, reason) => this.replaceUnhealthy(p, pid, reason);
    this.sampler = createUsageSampler({
      intervalMs: defaults.memorySampleIntervalMs,
      // Apps with a memory limit are read every tick; the others in turn (runtime/sample-schedule.ts). The array and
      // its entries are reused from tick to tick: the sampler reads them at once, and 1,000 new objects a second is GC.
      roots: () => {
        const roots = this.sampleRoots;
        let n = 0;
        for (const p of this.registry.processes()) {
          const pid = p.pid;
          if (pid === null || p.status !== 'online') continue;
          const everyTick = p.spec.policy.maxMemoryRestartBytes !== null;
          const root = roots[n];
          if (root) {
            root.pid = pid;
            root.everyTick = everyTick;
          } else roots.push({ pid, everyTick });
          n++;
        }
        roots.length = n;
        return roots;
      },
      onSample: (samples) => this.onSample(samples),
      schedule: defaults.usageSchedule,
    });
  }

  /**
   * Takes back what the previous daemon managed: live processes are adopted, the rest started again.
   * A state file that cannot be used is set aside (never overwritten); what went wrong is returned for `tend ping`.
   * After a crash (`afterCrash`: the previous daemon left its pid file), or when a recorded pid is gone, the
   * processes that carry the home are looked for by id, so one the previous daemon spawned or restarted but had not
   * recorded yet is adopted, not started a second time, and one it was deleting or stopping is stopped.
   */
  restore(options: { afterCrash?: boolean } = {}): string[] {
    const { state, warnings } = loadState(this.paths.stateFile, this.paths.home);
    const damaged = warnings.length > 0;
    this.registry.nextId = state.nextId;
    const aliveAsRecorded = (stored: StoredProcess): boolean =>
      stored.pid !== null && stored.startTime !== null && isSameProcess(stored.pid, stored.startTime);
    const stored = state.apps.flatMap((app) => app.processes);
    const lost = stored.some((p) => isLive(p.status) && !aliveAsRecorded(p));
    const found = options.afterCrash || lost ? runningById(this.paths.home) : new Map<number, FoundProcess>();
    for (const app of state.apps) {
      for (const stored of app.processes) {
        const recorded = aliveAsRecorded(stored);
        const live = isLive(stored.status);
        let running = recorded ? { pid: stored.pid!, startTime: stored.startTime! } : found.get(stored.id);
        // A fork process is adopted by its id; a cluster worker needs its primary's link, so it is replaced.
        if (running && (!live || (!recorded && isCluster(app.spec)))) {
          stopFound({ ...running, app: app.spec.name, id: stored.id }, app.spec.policy.killTimeoutMs);
          running = undefined;
        }
        const adopt = running
          ? {
              pid: running.pid,
              startTime: running.startTime,
              onlineSince: (recorded ? stored.onlineSince : null) ?? Date.now(),
              restarts: stored.restarts,
              unstableRestarts: stored.unstableRestarts,
              createdAt: stored.createdAt,
            }
          : undefined;
        // A process that died while no daemon watched it is started again as a restart: its counters go on.
        const carry = adopt ? undefined : { restarts: stored.restarts + (live ? 1 : 0), createdAt: stored.createdAt };
        this.registry.add(app.spec, stored.instance, { id: stored.id, autostart: live, adopt, carry });
        found.delete(stored.id);
      }
      this.registry.setOwner([app.spec.name], app.owner);
      this.updateTimers(app.spec);
    }
    // Processes no state names: with a whole state file, the previous daemon was deleting them (or spawned them for
    // an apply it had not recorded): they are stopped. A damaged file may have lost their apps: they are named instead.
    if (!damaged && found.size > 0) {
      for (const p of found.values()) stopFound(p, defaults.killTimeoutMs);
      warnings.push(
        `stopped ${[...found.values()].map((p) => `pid ${p.pid} (${p.app}, id ${p.id})`).join(', ')}: no state names ${found.size === 1 ? 'it' : 'them'} (the previous daemon died while it deleted or started ${found.size === 1 ? 'it' : 'them'})`,
      );
    }
    for (const warning of warnings) console.error(`tend daemon: ${warning}`);
    this.recordedIds = idsIn(state);
    this.sampler.start();
    // The dashboard a killed or replaced daemon served comes back; if it cannot, `ping` says so through `warnings`.
    this.dashboard.reopen(warnings);
    return warnings;
  }

  start(): void {
    this.sampler.start();
  }

  handlers(): {
    [M in keyof Methods]: (
      params: Methods[M]['params'],
      emit: (event: ApplyEvent | BusEvent) => void,
      closed?: AbortSignal,
    ) => Promise<Methods[M]['result']>;
  } {
    return {
      ping: async () => {
        // The CLI that started this daemon pings first: waiting lets it print why the dashboard did not come back.
        await this.dashboard.settled();
        return { pong: true, pid: process.pid, version: this.version, home: this.paths.home };
      },
      // `ls`'s table asks for its rows only (ListParams): built straight from the processes, no full views first.
      list: async (params) =>
        params?.table
          ? listRows(this.registry.processes(), Date.now(), (app) => this.registry.apps.get(app)?.owner ?? null, params)
          : this.list(),
      show: async ({ target, scripts, showSecrets }) => this.show({ targets: [target], scripts }, showSecrets === true),
      plan: async ({ desired, options, fingerprints, desiredHash }) => {
        if (desiredHash !== undefined) this.knownDesired.remember(desiredHash, desired);
        return this.plan(desired, options, fingerprints === true);
      },
      planKnown: async ({ desiredHash, owner, options, fingerprints }) => {
        const known = this.knownDesired.get(desiredHash);
        return known ? this.plan({ ...known, owner }, options, fingerprints === true) : null;
      },
      apply: ({ desired, options, gates, expect, atomic, recordAs }, emit) =>
        this.serial(() => this.apply(desired, options, emit, { gates, expect, atomic, recordAs })),
      start: (targets, emit) => this.serial(() => this.startTargets(targets, emit)),
      stop: (targets) => this.serial(() => this.stopTargets(targets)),
      restart: (targets, emit) => this.serial(() => this.restartTargets(targets, emit)),
      reload: (targets, emit) => this.serial(() => this.reloadTargets(targets, emit)),
      delete: (targets) => this.serial(() => this.deleteTargets(targets)),
      scale: ({ app, count }, emit) => this.serial(() => this.scale(app, count, emit)),
      save: async () => this.save(),
      resurrect: (_params, emit) => this.serial(() => this.resurrect(emit)),
      flush: async (targets) => this.flush(targets),
      reloadLogs: async () => this.reloadLogs(),
      kill: () => this.serial(() => this.stopEverything()),
      exit: () => this.serial(async () => ({ pid: process.pid, version: this.version })),
      dashboard: (params) => this.dashboard.open(params ?? {}),
      dashboardStop: () => this.dashboard.stop(),
      trigger: ({ target, scripts, action, arg }) => this.trigger({ targets: [target], scripts }, action, arg),
      profile: ({ target, scripts, ...request }) => this.profile({ targets: [target], scripts }, request),
      inspect: ({ target, scripts, instance, close }) =>
        this.askProbes({ targets: [target], scripts }, instance, defaults.triggerTimeoutMs, () => (req) => ({
          t: 'inspect',
          req,
          open: close !== true,
        })),
      // PM2's verbs on running processes: src/daemon/process-verbs.ts.
      reset: (targets) =>
        this.serial(async () => {
          const { processes } = this.resolveOrThrow(targets);
          for (const p of processes) p.resetCounters();
          this.persistSoon('intent');
          return processes.map((p) => viewOf(p, Date.now()));
        }),
      sendSignal: async ({ signal, ...targets }) =>
        signalProcesses(this.resolveOrThrow(targets).processes, signal as NodeJS.Signals),
      env: async ({ target, scripts, showSecrets }) =>
        environmentOf(
          this.resolveOrThrow({ targets: [target], scripts }).processes,
          this.extraEnv,
          showSecrets === true,
        ),
      send: async ({ target, scripts, lines }) =>
        sendToStdin(this.resolveOrThrow({ targets: [target], scripts }).processes, this.paths.home, lines),
      cleardump: () =>
        this.serial(async () => {
          await writeStateAtomically(this.paths.dumpFile, { version: 1, nextId: 0, apps: [] });
          return { file: this.paths.dumpFile };
        }),
      subscribe: (_params, emit, closed) => subscribeUntilClosed(this.events, this.registry, emit, closed),
      sendData: async ({ id, packet }) => sendData(this.registry, id, packet),
      specs: async (params) =>
        [...this.registry.apps.values()]
          .filter((app) => params?.names === undefined || params.names.includes(app.spec.name))
          .map((app) => {
            const statuses = [...app.processes.values()].sort((a, b) => a.instance - b.instance).map((p) => p.status);
            return { spec: app.spec, statuses, running: statuses.some(isLive) };
          }),
    };
  }

  /**
   * A process is spawned only once the state file names its id: a daemon killed right after a spawn would otherwise
   * leave a process that no state names, and the next apply would start it a second time (81 processes for 50 apps
   * after a kill -9 during an apply). One write (not fsync'd: it is against the daemon's death, not the machine's,
   * whose crash ends the processes too) before the first spawn of a burst; restarts of a known id never wait.
   */
  private recordedFirst(launcher: Launcher): Launcher {
    return {
      ...launcher,
      spawn: async (req) => {
        if (!this.recordedIds.has(req.id)) await this.stateWriter.flush(false);
        return launcher.spawn(req);
      },
    };
  }

  private launcherFor(spec: AppSpec): Launcher {
    if (!isCluster(spec)) return this.forkLauncher;
    let link = this.primaries.get(spec.name);
    if (!link) {
      link = new PrimaryLink({
        home: this.paths.home,
        app: spec.name,
        primaryEntry: join(this.distDir, 'cluster-primary.js'),
        workerEntry: join(this.distDir, 'cluster-worker.js'),
        logFile: join(this.paths.logsDir, `${spec.name}-primary.log`),
      });
      this.primaries.set(spec.name, link);
    }
    const bound = link;
    return { spawn: (req) => bound.spawn(this.withProbe(req)), drain: (pid, timeoutMs) => bound.drain(pid, timeoutMs) };
  }

  /** Node apps start with the in-app probe preloaded (unless their spec turns it off); fork ones with an IPC channel. */
  private withProbe(req: SpawnRequest): SpawnRequest {
    return { ...req, ...preloadFor(req.spec, this.distDir) };
  }

  /** Every reader of the figures comes through here, so it is also where the probes learn that someone looks. */
  private probeMetrics(p: ManagedProcess): Record<string, number> | null {
    this.probes.read();
    return this.probes.metricsOf(p.id, p.pid);
  }

  /** `tend trigger`: the action runs in every instance at once; each answers, fails or times out on its own. */
  private trigger(target: TargetSelection, action: string, arg: string | undefined): Promise<TriggerAnswer[]> {
    return this.askProbes(
      target,
      undefined,
      defaults.triggerTimeoutMs,
      () => (req) => (arg === undefined ? { t: 'run', req, action } : { t: 'run', req, action, arg }),
    );
  }

  /** `tend profile`: each instance writes its own profile (src/probe/profiler.ts), all at once. */
  private profile(target: TargetSelection, request: ProfileRequest): Promise<TriggerAnswer[]> {
    const several = this.resolveOrThrow(target).processes.filter(
      (p) => request.instance === undefined || p.instance === request.instance,
    );
    const at = new Date();
    // A heap snapshot of a big heap takes a while; a profile takes its duration, then writing.
    const timeoutMs = (request.kind === 'heap' ? 0 : request.durationMs) + defaults.profileSlackMs;
    return this.askProbes(target, request.instance, timeoutMs, (p) => (req) => ({
      t: 'profile',
      req,
      kind: request.kind,
      ms: request.kind === 'heap' ? 0 : request.durationMs,
      file: profileFileFor(request, p.name, p.instance, several.length > 1, at),
    }));
  }

  /**
   * A cluster worker whose liveness check failed is replaced as a reload replaces it: a new worker beside it, and only
   * once that one is ready is the old one drained and stopped, so the app never stops answering. If the new one does
   * not come up, the old one is restarted as any unhealthy instance is. Fork apps restart (they hold no shared socket).
   */
  private replaceUnhealthy(p: ManagedProcess, pid: number, reason: string): boolean {
    return this.replaceWorker(p, pid, () => p.reportUnhealthy(pid, reason));
  }

  /**
   * The same for a cluster worker, or a fork instance on sockets this daemon holds (`listen`), over
   * `max_memory_restart`: replaced, ready first, instead of the hard restart other instances get (the machine's memory
   * policy, `MEMORY`), which a request in flight would see fail.
   */
  private reportMemory(p: ManagedProcess, pid: number, rss: number): void {
    const replaced =
      p.status === 'online' &&
      isOverMemoryLimit(p.spec.policy, rss) &&
      this.replaceWorker(p, pid, () => p.reportMemory(rss));
    if (!replaced) p.reportMemory(rss);
  }

  /**
   * Replaces one cluster worker (or fork instance on held sockets) by a new one, ready first (`rollingReload` of that
   * instance), once: true if it does (or already is). `otherwise` runs when it cannot: the old one then goes the way
   * any other instance would.
   */
  private replaceWorker(p: ManagedProcess, pid: number, otherwise: () => void): boolean {
    const sharesItsPort = isCluster(p.spec) || (p.spec.run.listen !== undefined && this.listenSockets.holds(p.spec));
    if (!sharesItsPort || !p.spec.policy.autorestart) return false;
    if (this.replacing.has(p.id)) return true;
    this.replacing.add(p.id);
    const log = (text: string): void => console.log(`tend daemon: ${text}`);
    void this.serial(async () => {
      // Stopped, restarted or deleted while it waited its turn: nothing to replace any more.
      if (p.pid !== pid || this.registry.apps.get(p.name)?.processes.get(p.instance) !== p) return;
      await rollingReload(this.registry, p.name, p.spec, [p.instance], log);
      this.persistSoon('runtime');
    })
      .catch((error: unknown) => {
        log(`${p.name}[${p.instance}] could not be replaced (${(error as Error).message}); restarting it`);
        otherwise();
      })
      .finally(() => this.replacing.delete(p.id));
    return true;
  }

  /** Sends one request to the probe of each process of the target (or one instance); each answers on its own. */
  private async askProbes(
    target: TargetSelection,
    instance: number | undefined,
    timeoutMs: number,
    messageFor: (p: ManagedProcess) => (req: number) => DaemonMessage,
  ): Promise<TriggerAnswer[]> {
    const { processes } = this.resolveOrThrow(target);
    const chosen = processes.filter((p) => instance === undefined || p.instance === instance);
    if (chosen.length === 0)
      throw new TendError('UNKNOWN_APP', `${processes[0]?.name ?? 'the target'} has no instance ${instance}`);
    return Promise.all(
      chosen.map(async (p): Promise<TriggerAnswer> => {
        const base = { id: p.id, name: p.name, instance: p.instance, pid: p.pid };
        const helloWaitMs = probeArgs(p.spec, this.distDir).length > 0 ? probeHelloWaitMs(p, Date.now()) : 0;
        const outcome = await this.probes.request(p.id, p.pid, messageFor(p), timeoutMs, helloWaitMs);
        return outcome.ok
          ? { ...base, ok: true, answer: outcome.answer }
          : { ...base, ok: false, error: outcome.error, reason: outcome.reason };
      }),
    );
  }

  list(): ProcessView[] {
    // monit and the dashboard list every second: while they do, every app's figures are read every tick.
    this.sampler.look();
    const now = Date.now();
    return this.registry.processes().map((p) => this.withOwner(this.withCron(viewOf(p, now, this.probeMetrics(p)), p)));
  }

  show(target: TargetSelection, showSecrets = false): ProcessDetails[] {
    const { processes } = this.resolveOrThrow(target);
    this.sampler.look();
    const now = Date.now();
    return processes.map((p) =>
      this.withOwner(
        this.withCron(
          detailsOf(
            p,
            now,
            { metrics: this.probeMetrics(p), actions: this.probes.actionsOf(p.id, p.pid) },
            showSecrets,
          ),
          p,
        ),
      ),
    );
  }

  /** A view with who applied its app: `source` for `ls`, the whole record for `show` and `ls --json`. */
  private withOwner<V extends ProcessView>(view: V): V {
    const owner = this.registry.apps.get(view.name)?.owner ?? null;
    return { ...view, source: ownerLabel(owner), owner };
  }

  /** A view of a process whose app has a schedule says when it runs next (`next_cron_at`); others are unchanged. */
  private withCron<V extends ProcessView>(view: V, p: ManagedProcess): V {
    return p.spec.policy.cronRestart ? { ...view, next_cron_at: this.cronTimers.nextRunAt(p.name) } : view;
  }

  /** The plan; with `fingerprints` (a plan to save, or a saved plan's check) also what it looked at, hashed. */
  plan(desired: DesiredState, options: PlanOptions, fingerprints = false): Plan {
    const observed = this.registry.observe();
    const plan = planApply(desired, observed, options);
    return fingerprints ? { ...plan, observed: observedFingerprints(observed, planScope(plan)) } : plan;
  }

  /**
   * Plans and carries out, in turn with every other change. A saved plan's `expect` (the fingerprints it was made
   * against) and the CI gates are checked first: a plan that moved or breaks a gate changes nothing.
   */
  async apply(desired: DesiredState, options: PlanOptions, emit: Emit, guard: ApplyGuard = {}): Promise<ApplyResult> {
    const record = (entry: Pick<HistoryEntry, 'summary' | 'result' | 'before' | 'after'> & { error?: string }) =>
      this.history.record({
        kind: guard.recordAs ?? historyKind(desired),
        at: Date.now(),
        owner: desired.owner ?? null,
        scope: options.only ?? null,
        desired: desired.apps,
        ...entry,
      });
    let plan: Plan;
    try {
      plan = this.plan(desired, options, guard.expect !== undefined);
      if (guard.expect) {
        const moved = movedApps(guard.expect, plan.observed ?? {});
        if (moved.length > 0) throw staleError(`the running apps changed since the plan was made: ${moved.join(', ')}`);
      }
      const violations = gateViolations(plan, guard.gates ?? {});
      if (violations.length > 0) throw deniedError(violations);
    } catch (err) {
      // Refused: nothing was done, but who tried what is worth keeping.
      record({ summary: 'refused', result: 'refused', before: {}, after: {}, error: String((err as Error).message) });
      throw err;
    }
    emit({ kind: 'plan', plan });
    const touched = touchedApps(plan);
    const before = specsOf(this.registry, touched);
    const ownersBefore = ownersOf(this.registry, touched);
    const { failed, notStarted } = await this.carryOut(plan, desired.owner, emit, { strictReady: guard.atomic });
    const result: ApplyResult = { plan, failed, ...(notStarted.length > 0 ? { notStarted } : {}) };
    if (guard.atomic && (failed.length > 0 || notStarted.length > 0) && touched.length > 0) {
      // Put back as it was: the previous specs, each app's previous owner, the new apps deleted.
      emit({ kind: 'action', text: `--atomic: putting back ${touched.join(', ')}` });
      const back = restorePlan(this.registry, before, desired.owner);
      await this.carryOut(back, desired.owner, emit, {});
      for (const [app, owner] of Object.entries(ownersBefore)) this.registry.setOwner([app], owner);
      this.persistSoon('intent');
      result.restored = touched.map((app) => ({ app, how: before[app] ? 'previous spec' : 'deleted' }));
    }
    const outcome = result.restored ? 'restored' : failed.length > 0 || notStarted.length > 0 ? 'failed' : 'ok';
    result.historyId = record({
      summary: summaryOf(plan),
      result: outcome,
      before,
      after: specsOf(this.registry, touched),
    });
    return result;
  }

  /** Carries a plan out: owners recorded as the apps come to exist, timers and the state file following each batch. */
  private carryOut(plan: Plan, owner: DesiredState['owner'], emit: Emit, settleOptions: SettleOptions) {
    // Owned before anything is done, so an apply cut short still counts as this owner's (new apps: once they exist).
    this.registry.setOwner(plan.claims ?? [], owner);
    return executePlan(
      this.registry,
      plan,
      emit,
      (actions) => {
        this.registry.setOwner(plan.claims ?? [], owner);
        for (const action of actions) if ('spec' in action) this.updateTimers(action.spec);
        for (const action of actions) if (action.type === 'delete') this.closeTimers(action.app);
        this.persistSoon('intent');
      },
      settleOptions,
    );
  }

  private async startTargets(targets: TargetSelection, emit: Emit): Promise<ApplyResult> {
    const { processes } = this.resolveOrThrow(targets);
    const toStart = processes.filter((p) => p.status === 'stopped' || p.status === 'errored');
    for (const p of toStart) p.start();
    for (const p of toStart) this.updateTimers(p.spec);
    this.persistSoon('intent');
    return { plan: emptyPlan(), failed: await settle(toStart, emit) };
  }

  private async stopTargets(targets: TargetSelection): Promise<ProcessView[]> {
    const { processes } = this.resolveOrThrow(targets);
    await stopInDependencyOrder(this.registry, processes);
    for (const spec of turnWatchOffForStopped(this.registry, processes)) this.updateTimers(spec);
    this.persistSoon('intent');
    const now = Date.now();
    return processes.map((p) => viewOf(p, now));
  }

  private async restartTargets(targets: TargetSelection, emit: Emit): Promise<ApplyResult> {
    const { processes } = this.resolveOrThrow(targets);
    for (const p of processes) {
      if (p.status === 'stopped' || p.status === 'errored') p.start();
      else p.restart();
    }
    const failed = await settle(processes, emit);
    const names = [...new Set(processes.map((p) => p.name))];
    return { plan: emptyPlan(), failed: [...failed, ...(await restartDependents(this.registry, names, failed, emit))] };
  }

  /** A `cron_restart` run: live instances restart, a job's ended instances start (src/supervisor/cron-policy.ts). */
  private runSchedule(name: string): void {
    const app = this.registry.apps.get(name);
    if (!app) return;
    for (const p of app.processes.values()) {
      const action = actionAtRun(p.status, p.spec.policy.autorestart);
      if (action !== 'skip') p.restart('cron');
    }
  }

  private async reloadTargets(targets: TargetSelection, emit: Emit): Promise<ApplyResult> {
    const { processes } = this.resolveOrThrow(targets);
    const byApp = new Map<string, number[]>();
    for (const p of processes) byApp.set(p.name, [...(byApp.get(p.name) ?? []), p.instance]);
    const touched: ManagedProcess[] = [];
    for (const [name, instances] of byApp) {
      const app = this.registry.apps.get(name);
      if (!app) continue;
      if (!isCluster(app.spec) && !app.spec.run.listen)
        emit({ kind: 'action', text: `${name}: fork mode has no zero-downtime reload without \`listen\`; restarting` });
      touched.push(
        ...(await rollingReload(this.registry, name, app.spec, instances, (text) => emit({ kind: 'action', text }))),
      );
    }
    this.persistSoon('intent');
    const failed = await settle(touched, emit);
    const names = [...byApp.keys()];
    return { plan: emptyPlan(), failed: [...failed, ...(await restartDependents(this.registry, names, failed, emit))] };
  }

  private async deleteTargets(targets: TargetSelection): Promise<{ deleted: string[] }> {
    const { processes } = this.resolveOrThrow(targets);
    const touched = [...new Set(processes.map((p) => p.name))];
    const before = specsOf(this.registry, touched);
    await stopInDependencyOrder(this.registry, processes);
    const names = new Set<string>();
    for (const p of processes) {
      names.add(p.name);
      this.registry.remove(p);
    }
    for (const name of names) if (!this.registry.apps.has(name)) this.closeTimers(name);
    this.persistSoon('intent');
    this.history.record({
      kind: 'delete',
      at: Date.now(),
      owner: null,
      scope: touched,
      desired: [],
      summary: touched.map((name) => `${name} delete`).join(', '),
      result: 'ok',
      before,
      after: specsOf(this.registry, touched),
    });
    return { deleted: [...names] };
  }

  private async scale(name: string, count: string, emit: Emit): Promise<ApplyResult> {
    const app = this.registry.apps.get(name);
    if (!app)
      throw new TendError(
        'UNKNOWN_APP',
        `no app named \`${name}\`; known apps: ${[...this.registry.apps.keys()].join(', ') || 'none'}`,
      );
    const match = /^([+-]?)(\d+)$/.exec(count);
    if (!match) throw new TendError('USAGE', `scale needs a number, +N or -N; got \`${count}\``);
    const current = app.processes.size;
    const n = Number(match[2]);
    const target = match[1] === '+' ? current + n : match[1] === '-' ? current - n : n;
    if (target < 0) throw new TendError('USAGE', `cannot scale \`${name}\` to ${target} instances`);
    const spec: AppSpec = { ...app.spec, instances: target };
    // A scale changes how many, not whose: the app keeps its owner (and its file's prune keeps counting it).
    const desired: DesiredState = {
      file: null,
      apps: [spec],
      warnings: [],
      ...(app.owner ? { owner: app.owner } : {}),
    };
    return this.apply(desired, { only: [name] }, emit, { recordAs: 'scale' });
  }

  private async save(): Promise<{ file: string; apps: number }> {
    await writeStateAtomically(this.paths.dumpFile, this.snapshot());
    return { file: this.paths.dumpFile, apps: this.registry.apps.size };
  }

  private resurrect(emit: Emit): Promise<ResurrectResult> {
    return resurrect({
      registry: this.registry,
      dumpFile: this.paths.dumpFile,
      emit,
      carriedOut: (actions) => {
        for (const action of actions) if ('spec' in action) this.updateTimers(action.spec);
        this.persistSoon('intent');
      },
    });
  }

  /** Where the log writer's entry point is, for apps whose lines go through one. */
  private logWriter(): WriterLaunch {
    return { entry: join(this.distDir, 'log-writer.js'), home: this.paths.home };
  }

  /**
   * `tend reloadLogs`: writers reopen their files (SIGUSR2), so an external logrotate can move them away.
   * Apps writing straight to their files hold the fd themselves and cannot be told to reopen: they are named.
   */
  private reloadLogs(): Methods['reloadLogs']['result'] {
    const writers = signalWritersToReopen(this.paths.home).map(({ app, instance, pid, files }) => ({
      app,
      instance,
      pid,
      files,
    }));
    // An app may run behind a writer without asking for one: its log files were in trouble when it started.
    const behindWriter = new Set(writers.map((w) => `${w.app}#${w.instance}`));
    const direct = new Map<string, { files: Set<string>; moved: Set<string> }>();
    for (const p of this.registry.processes()) {
      if (p.pid === null || needsWriter(p.spec.logs) || behindWriter.has(`${p.name}#${p.instance}`)) continue;
      const entry = direct.get(p.name) ?? { files: new Set<string>(), moved: new Set<string>() };
      for (const f of [p.logPaths.out, p.logPaths.err]) if (f) entry.files.add(f);
      for (const f of movedLogFiles(p.pid, p.logPaths)) entry.moved.add(f);
      if (entry.files.size > 0) direct.set(p.name, entry);
    }
    return {
      writers,
      direct: [...direct].map(([app, { files, moved }]) => ({ app, files: [...files], moved: [...moved] })),
    };
  }

  private async flush(targets: TargetSelection): Promise<{ files: string[] }> {
    const none = targets.targets.length === 0 && (targets.ids ?? []).length === 0;
    const processes = none ? this.registry.processes() : this.resolveOrThrow(targets).processes;
    const files = new Set<string>();
    for (const p of processes) for (const f of [p.logPaths.out, p.logPaths.err]) if (f) files.add(f);
    await Promise.all([...files].map((f) => flushFile(f)));
    return { files: [...files] };
  }

  /** `tend kill`: every app stopped and forgotten (as PM2; `save` first to bring them back with `resurrect`). */
  async stopEverything(): Promise<{ stopped: number }> {
    const processes = this.registry.processes();
    await stopAll(processes);
    for (const p of processes) this.registry.remove(p);
    // And the app processes of this home that no daemon supervises (named at start after a damaged state file).
    const strays = [...runningById(this.paths.home).values()];
    await Promise.all(strays.map((p) => killTreeAndWait(p.pid, 'SIGTERM', defaults.killTimeoutMs, 50, p)));
    for (const name of [...this.watchers.keys()]) this.closeWatcher(name);
    this.cronTimers.closeAll();
    // Their workers are gone: the cluster primaries leave now, not after their idle linger, so the port is free once
    // `tend kill` returns (the CLI waits for every process of the home).
    await askPrimariesToExit(this.paths.home);
    await this.persistFinal();
    return { stopped: processes.length + strays.length };
  }

  async shutdown(): Promise<void> {
    this.sampler.stop();
    this.knownDesired.clear();
    this.checkScheduler.close();
    this.cronTimers.closeAll();
    await this.dashboard.close();
    await this.probes.close();
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    await this.logHealth.close();
    await this.persistFinal();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The processes the targets name (src/api/selectors.ts); a target that names none is an error that names it. */
  private resolveOrThrow(targets: TargetSelection): { processes: ManagedProcess[] } {
    const { processes, unknown } = this.registry.resolve(targets);
    if (unknown.length > 0) throw unknownTargetsError(unknown, [...this.registry.apps.keys()]);
    return { processes };
  }

  private onSample(samples: Map<number, { cpu: number; rss: number } | null>): void {
    const processes = this.registry.processes();
    for (const p of processes) {
      if (p.pid === null) continue;
      const sample = samples.get(p.pid);
      if (sample) {
        // Copied into the process's own object: the sample dies young instead of living a tick into the old space.
        if (p.usage) {
          p.usage.cpu = sample.cpu;
          p.usage.rss = sample.rss;
        } else p.usage = { cpu: sample.cpu, rss: sample.rss };
        this.reportMemory(p, p.pid, sample.rss);
      }
    }
    const now = Date.now();
    this.checkScheduler.wake();
    this.logHealth.tick(now);
    // A process not read on this tick gets no point: its chart goes on from its last one.
    this.usageHistory.record(now, processes, (p) => {
      if (p.pid === null || p.status !== 'online') return null;
      return samples.has(p.pid) ? p.usage : undefined;
    });
    this.dashboard.tick();
  }

  /** The app's file watcher and cron timer follow its (new) spec; unchanged ones are kept. */
  private updateTimers(spec: AppSpec): void {
    this.updateWatcher(spec);
    this.cronTimers.update(spec);
  }

  private updateWatcher(spec: AppSpec): void {
    const watch = spec.policy.watch;
    const key = JSON.stringify(watch);
    const existing = this.watchers.get(spec.name);
    if (existing?.key === key) return;
    if (existing) void existing.close();
    this.watchers.delete(spec.name);
    if (!watch) return;
    const logFiles: string[] = [];
    for (let i = 0; i < spec.instances; i++) {
      const { out, err } = logPathsFor(spec, i);
      for (const f of [out, err]) if (f) logFiles.push(f);
    }
    const handle = watchFiles(watch, {
      // The app's own log files may sit in its watched folder: writing a line must not restart it.
      neverWatch: [this.paths.home, this.paths.logsDir, ...logFiles],
      onChange: () => {
        for (const p of this.registry.apps.get(spec.name)?.processes.values() ?? []) p.reportFilesChanged();
      },
    });
    this.watchers.set(spec.name, { key, close: () => handle.close() });
  }

  private closeTimers(name: string): void {
    this.closeWatcher(name);
    this.cronTimers.close(name);
  }

  private closeWatcher(name: string): void {
    const existing = this.watchers.get(name);
    if (existing) void existing.close();
    this.watchers.delete(name);
  }

  private changed(p: ManagedProcess): void {
    this.checkScheduler.observe(p);
    this.events.processChanged(p);
    this.persistSoon('runtime');
    this.dashboard.changed();
  }

  /**
   * What a user asked for (apps, specs, stopped or started) is written durably; what changes by itself (pids, statuses,
   * restart counts) only atomically: a starting daemon needs it to adopt its processes, but after a machine crash
   * those processes are gone anyway. An fsync waits on the disk (17 ms of a 50-app start here, more on a slow disk,
   * and one at every restart of a crash loop), so only intents pay it; StateWriter does it all off the daemon's thread.
   */
  private persistSoon(kind: 'intent' | 'runtime'): void {
    this.stateWriter.changed(kind === 'intent');
  }

  /** Everything written, durably, before the daemon exits or after `kill` forgot every app. */
  private persistFinal(): Promise<void> {
    return this.stateWriter.flush(true);
  }

  private snapshot(): StoredState {
    return {
      version: 1,
      nextId: this.registry.nextId,
      apps: [...this.registry.apps.values()].map((app) => ({
        spec: app.spec,
        ...(app.owner ? { owner: app.owner } : {}),
        processes: [...app.processes.values()].map((p) => {
          const ctx = p.context;
          return {
            id: p.id,
            instance: p.instance,
            status: p.status,
            pid: p.pid,
            startTime: p.startTime,
            onlineSince: ctx.onlineSince ?? null,
            createdAt: ctx.createdAt,
            restarts: ctx.restarts,
            unstableRestarts: ctx.unstableRestarts,
          };
        }),
      })),
    };
  }
}

function emptyPlan(): Plan {
  return { actions: [], unchanged: [], orphans: [] };
}

/**
 * How long a trigger waits for the probe of a process started with one to say hello: a probe starts
 * `probeStartDelayMs` after its app (src/probe/preload.ts), so `tend start app && tend trigger app action` must not
 * find it missing.
 */
function probeHelloWaitMs(p: ManagedProcess, now: number): number {
  const { onlineSince, stateSince } = p.context;
  const since = onlineSince ?? (p.status === 'launching' ? stateSince : null);
  if (since === null) return 0;
  return Math.max(0, since + defaults.probeStartDelayMs + defaults.probeHelloGraceMs - now);
}

function idsIn(state: StoredState): Set<number> {
  return new Set(state.apps.flatMap((app) => app.processes.map((p) => p.id)));
}
