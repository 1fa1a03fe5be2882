import { statSync } from 'node:fs';
import type { CheckProbe } from '../config/check-types.js';
import { defaults } from '../core/defaults.js';
import { checkRunner, type CheckOutcome, type CheckRunner } from '../runtime/health-checks/run-check.js';
import { isReady, judgeLiveness, NO_STREAK, nextStreak, unhealthyReason } from '../supervisor/check-policy.js';
import { isLive } from '../supervisor/status.js';
import type { ManagedProcess } from './managed-process.js';

/** The longest the timer sleeps while some app has a check, whatever is due. */
const MAX_TICK_GAP_MS = 1000;

/** One check of one run of an instance: its runner, when it runs next, and whether a run is under way. */
interface Track {
  /** The probe it runs: a changed `ready:`/`health:` (a new spec, applied in place) gets a new runner. */
  probe: CheckProbe;
  timeoutMs: number;
  runner: CheckRunner;
  nextAt: number;
  busy: boolean;
}

/** The checks of one run (one pid) of an instance. */
interface RunChecks {
  pid: number;
  /** When the run came online: `start_period` counts from it. */
  since: number;
  readiness: Track | null;
  liveness: Track | null;
}

/**
 * Runs every instance's readiness (`ready:`) and liveness (`health:`) checks from the daemon, never inside the app, on
 * one timer that ticks only while some app has a check. Each check is I/O the daemon starts and does not wait on: a tick
 * only starts the checks that are due, and a check still running is not started again. Results go to the instance
 * (`checks`, for `ls`/`show`), to its machine (READY, UNHEALTHY), and to the daemon's log when they fail or act.
 */
export class CheckScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires; it is moved only to an earlier time. */
  private armedFor: number | null = null;
  private readonly runs = new Map<ManagedProcess, RunChecks>();
  /** Processes seen through `observe` and not yet found in the registry (a rolling reload's new worker). */
  private readonly unregistered = new Set<ManagedProcess>();
  /** Where each log file of a launching instance ended before its spawn, so a `log` check sees its first lines. */
  private readonly logStarts = new Map<ManagedProcess, Map<string, number>>();
  /**
   * Takes an unhealthy instance over instead of the plain restart, when it can replace it by a new one that is ready
   * first (a cluster worker): true if it does. The daemon sets it; without it every unhealthy instance restarts.
   */
  replaceUnhealthy: ((p: ManagedProcess, pid: number, reason: string) => boolean) | null = null;

  constructor(
    private readonly processes: () => readonly ManagedProcess[],
    /** Called when a check changed what `ls` shows (ready, passing or failing). */
    private readonly onChange: (p: ManagedProcess) => void,
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly now: () => number = Date.now,
    /** Makes the runner of one check; tests give fakes. */
    private readonly runnerFor: typeof checkRunner = checkRunner,
  ) {}

  /** A process changed (status, spec): its checks are armed, or the timer started, as needed. */
  observe(p: ManagedProcess): void {
    const policy = p.spec.policy;
    if (policy.ready === undefined && policy.health === undefined) return;
    // Before the spawn (it follows some awaits in the runtime): the files' ends now are where this run's lines begin.
    if (p.status === 'launching' && p.pid === null && usesLog(p)) this.logStarts.set(p, logSizes(p));
    if (isLive(p.status)) this.unregistered.add(p);
    this.arm(this.now());
  }

  /** Starts the timer if some app has a check (one given in place by an apply causes no status change to observe). */
  wake(): void {
    if (this.timer !== null) return;
    for (const p of this.processes())
      if (p.spec.policy.ready !== undefined || p.spec.policy.health !== undefined) {
        this.arm(this.now());
        return;
      }
  }

  close(): void {
    this.unregistered.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
    for (const p of [...this.runs.keys()]) this.dropRun(p);
  }

  /** Sets the timer for `at`, unless it already fires by then. */
  private arm(at: number): void {
    if (this.timer !== null && this.armedFor !== null && this.armedFor <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.armedFor = null;
        this.tick();
      },
      Math.max(0, at - this.now()),
    );
  }

  /**
   * Starts the checks that are due, and sets the timer for the next due one (at the latest a second on, so nothing is
   * missed); no timer once no app has a check. An idle daemon whose apps all check every second wakes about once a
   * second for all of them.
   */
  tick(): void {
    const now = this.now();
    let anyChecks = false;
    let nextAt = now + MAX_TICK_GAP_MS;
    const seen = new Set<ManagedProcess>();
    const registered = this.processes();
    // A rolling reload's new worker is out of the registry's table until it is ready: it is checked as observed.
    for (const p of this.unregistered) if (registered.includes(p) || !isLive(p.status)) this.unregistered.delete(p);
    for (const p of [...registered, ...this.unregistered]) {
      const { ready, health } = p.spec.policy;
      if (ready === undefined && health === undefined) continue;
      anyChecks = true;
      seen.add(p);
      const pid = p.pid;
      if (pid === null || p.status !== 'online') {
        this.dropRun(p);
        continue;
      }
      let run = this.runs.get(p);
      if (run === undefined || run.pid !== pid) {
        this.dropRun(p);
        run = { pid, since: p.context.onlineSince ?? now, readiness: null, liveness: null };
        this.runs.set(p, run);
        p.checks = { readiness: null, liveness: null };
      }
      // Made here, not only with the run: a `ready:` or `health:` applied in place starts its record at its first tick.
      const checks = p.checks ?? { readiness: null, liveness: null };
      p.checks = checks;
      if (ready !== undefined && checks.readiness?.kind !== ready.probe.kind)
        checks.readiness = { kind: ready.probe.kind, last: null, streak: NO_STREAK };
      if (health !== undefined && checks.liveness?.kind !== health.probe.kind)
        checks.liveness = { kind: health.probe.kind, last: null, streak: NO_STREAK, state: 'unknown' };
      if (ready !== undefined && p.readyAt === null) {
        // The first readiness check runs at once: an app that is up early is ready early.
        run.readiness = this.track(p, run.readiness, ready.probe, ready.timeoutMs, run.since);
        this.runIfDue(run.readiness, now, ready.intervalMs, (outcome) => this.readinessResult(p, pid, outcome));
        if (!run.readiness.busy) nextAt = Math.min(nextAt, run.readiness.nextAt);
      } else if (run.readiness !== null && !run.readiness.busy) {
        // Ready: the readiness check is done for this run, and lets go of its connection.
        run.readiness.runner.close();
        run.readiness = null;
      }
      // An instance still starting is not judged alive or not: with a `ready:` check, liveness begins once it is ready.
      if (health !== undefined && (ready === undefined || p.readyAt !== null)) {
        const firstAt = alignedSlot(Math.max(run.since, p.readyAt ?? run.since) + health.intervalMs, health.intervalMs);
        run.liveness = this.track(p, run.liveness, health.probe, health.timeoutMs, firstAt);
        this.runIfDue(run.liveness, now, health.intervalMs, (outcome) => this.livenessResult(p, pid, outcome), 'slots');
        nextAt = Math.min(nextAt, run.liveness.nextAt);
      } else if (health === undefined && run.liveness !== null && !run.liveness.busy) {
        // `health:` taken out in place.
        run.liveness.runner.close();
        run.liveness = null;
      }
    }
    for (const p of [...this.runs.keys()]) if (!seen.has(p)) this.dropRun(p);
    for (const p of this.logStarts.keys()) if (!seen.has(p) || p.pid !== null) this.logStarts.delete(p);
    if (!anyChecks) this.close();
    else this.arm(Math.max(nextAt, now + defaults.checkTickMs));
  }

  /** Forgets an instance's run and closes what its checks keep open. */
  private dropRun(p: ManagedProcess): void {
    const run = this.runs.get(p);
    if (run === undefined) return;
    run.readiness?.runner.close();
    run.liveness?.runner.close();
    this.runs.delete(p);
  }

  /** The track of one check of a run, made anew when there is none or its probe changed. */
  private track(p: ManagedProcess, track: Track | null, probe: CheckProbe, timeoutMs: number, firstAt: number): Track {
    if (track !== null && track.probe === probe && track.timeoutMs === timeoutMs) return track;
    track?.runner.close();
    const spec = p.spec;
    const logs = p.logPaths;
    const runner = this.runnerFor(
      probe,
      {
        cwd: spec.run.cwd,
        env: spec.run.env,
        ...(spec.run.uid !== undefined ? { uid: spec.run.uid } : {}),
        ...(spec.run.gid !== undefined ? { gid: spec.run.gid } : {}),
        logFiles: [logs.out, logs.err].filter((f): f is string => f !== null),
        logStarts: this.logStarts.get(p),
        sharedPort: spec.run.execMode === 'cluster',
      },
      timeoutMs,
    );
    return { probe, timeoutMs, runner, nextAt: firstAt, busy: false };
  }

  /**
   * Starts the check if it is due. `after-end`: the next one is due `intervalMs` after this one ends (readiness: soon,
   * whatever the phase). `slots`: on a fixed grid from its first slot, a slot still busy being skipped, so the liveness
   * checks of every app with the same interval run in the same tick and the daemon wakes once for them, not once each.
   */
  private runIfDue(
    track: Track,
    now: number,
    intervalMs: number,
    done: (outcome: CheckOutcome) => void,
    schedule: 'after-end' | 'slots' = 'after-end',
  ): void {
    if (track.busy || now < track.nextAt) return;
    if (schedule === 'slots') {
      const missed = Math.floor((now - track.nextAt) / intervalMs);
      track.nextAt += (missed + 1) * intervalMs;
    }
    track.busy = true;
    track.runner
      .run()
      .catch((err: unknown): CheckOutcome => ({ ok: false, message: String(err) }))
      .then((outcome) => {
        track.busy = false;
        // From the end of this check: a slow check is never run twice at once, nor back to back.
        if (schedule === 'after-end') {
          track.nextAt = this.now() + intervalMs;
          this.arm(track.nextAt);
        }
        done(outcome);
      });
  }

  private readinessResult(p: ManagedProcess, pid: number, outcome: CheckOutcome): void {
    const record = this.current(p, pid)?.readiness;
    const ready = p.spec.policy.ready;
    if (!record || !ready) return;
    record.streak = nextStreak(record.streak, outcome.ok);
    record.last = { ok: outcome.ok, at: this.now(), message: outcome.message };
    if (!isReady(record.streak, ready.threshold)) return;
    this.log(`tend daemon: ${label(p)} is ready: ${outcome.message}`);
    p.markReady(pid);
    this.onChange(p);
  }

  private livenessResult(p: ManagedProcess, pid: number, outcome: CheckOutcome): void {
    const record = this.current(p, pid)?.liveness;
    const health = p.spec.policy.health;
    const run = this.runs.get(p);
    if (!record || !health || !run) return;
    const at = this.now();
    const before = record.state;
    const judged = judgeLiveness(health, record.streak, { ok: outcome.ok, at }, run.since);
    record.streak = judged.streak;
    record.last = { ok: outcome.ok, at, message: outcome.message };
    if (judged.verdict === 'passing') record.state = 'passing';
    if (judged.verdict === 'failing' || judged.verdict === 'unhealthy') record.state = 'failing';
    if (judged.verdict === 'failing')
      this.log(
        `tend daemon: ${label(p)} health check failed (${judged.streak.failures}/${health.failures}): ${outcome.message}`,
      );
    if (judged.verdict === 'unhealthy') {
      const reason = unhealthyReason(health.failures, outcome.message);
      const replacing = p.spec.policy.autorestart && this.replaceUnhealthy?.(p, pid, reason) === true;
      const action = !p.spec.policy.autorestart
        ? 'autorestart is off: left running'
        : replacing
          ? 'replacing it by a new one, ready first'
          : 'restarting it';
      this.log(`tend daemon: ${label(p)} ${reason}; ${action}`);
      if (!replacing) p.reportUnhealthy(pid, reason);
    }
    if (record.state !== before) this.onChange(p);
  }

  /** The instance's check records, if they are still those of the run with this pid. */
  private current(p: ManagedProcess, pid: number): ManagedProcess['checks'] {
    return this.runs.get(p)?.pid === pid ? p.checks : null;
  }
}

/**
 * The first slot of a check at or after `at`: a whole second for intervals of whole seconds, so that checks of apps
 * started at different times share their ticks; otherwise `at` itself.
 */
function alignedSlot(at: number, intervalMs: number): number {
  return intervalMs % 1000 === 0 ? Math.ceil(at / 1000) * 1000 : at;
}

function label(p: ManagedProcess): string {
  return `${p.name}[${p.instance}] (id ${p.id})`;
}

function usesLog(p: ManagedProcess): boolean {
  return p.spec.policy.ready?.probe.kind === 'log' || p.spec.policy.health?.probe.kind === 'log';
}

function logSizes(p: ManagedProcess): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const file of [p.logPaths.out, p.logPaths.err]) {
    if (file === null) continue;
    try {
      sizes.set(file, statSync(file).size);
    } catch {
      sizes.set(file, 0);
    }
  }
  return sizes;
}
