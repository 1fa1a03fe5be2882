import type { AppSpec, CronSpec } from '../config/types.js';
import { type CronSchedule, delayUntil, isDue, runAfter } from '../supervisor/cron-policy.js';

type CompileSchedule = (spec: CronSpec) => CronSchedule;

interface Armed {
  /** The schedule this timer was armed for, compared on every spec change. */
  key: string;
  /** Epoch ms of the next run, or null (not computed yet, or the pattern never matches again). */
  dueAt: number | null;
  timer: NodeJS.Timeout | null;
  closed: boolean;
}

/**
 * One timer per app with a `cron_restart`: armed from the spec (on apply, start, resurrect and restore, so a new
 * daemon picks the schedules up again), re-armed after each run and when the schedule changes, cleared on delete.
 * What a run does is the daemon's (`onRun`, through its command queue); croner is loaded on the first schedule.
 */
export class CronTimers {
  private readonly armed = new Map<string, Armed>();
  private compile: Promise<CompileSchedule> | null = null;
  private compiled: CompileSchedule | null = null;

  constructor(
    private readonly onRun: (app: string) => void,
    private readonly now: () => number = Date.now,
    /** Test seam: how croner is loaded. */
    private readonly loadCompile: () => Promise<CompileSchedule> = () =>
      import('../supervisor/cron-schedule.js').then((m) => m.compileSchedule),
  ) {}

  /** Arms, re-arms or clears the app's timer after its spec was set; an unchanged schedule keeps its timer. */
  update(spec: AppSpec): void {
    const cron = spec.policy.cronRestart;
    const key = cron ? JSON.stringify(cron) : '';
    if ((this.armed.get(spec.name)?.key ?? '') === key) return;
    this.close(spec.name);
    if (!cron) return;
    const entry: Armed = { key, dueAt: null, timer: null, closed: false };
    this.armed.set(spec.name, entry);
    const start = (compile: CompileSchedule) => {
      if (entry.closed) return;
      const schedule = compile(cron);
      this.arm(spec.name, entry, schedule, schedule.nextAfter(this.now()));
    };
    // Once croner is loaded, a timer is armed at once, so the view that follows an apply has its next run.
    if (this.compiled) {
      start(this.compiled);
      return;
    }
    this.compile ??= this.loadCompile().then((compile) => {
      this.compiled = compile;
      return compile;
    });
    this.compile.then(start, (err: unknown) =>
      console.error(`tend daemon: cannot load the cron library for ${spec.name}:`, err),
    );
  }

  /** When the app's schedule runs next (epoch ms), or null when it has none. */
  nextRunAt(name: string): number | null {
    return this.armed.get(name)?.dueAt ?? null;
  }

  /** The app is gone (or its schedule is): no more runs. */
  close(name: string): void {
    const entry = this.armed.get(name);
    if (!entry) return;
    entry.closed = true;
    if (entry.timer) clearTimeout(entry.timer);
    this.armed.delete(name);
  }

  closeAll(): void {
    for (const name of [...this.armed.keys()]) this.close(name);
  }

  private arm(name: string, entry: Armed, schedule: CronSchedule, dueAt: number | null): void {
    entry.dueAt = dueAt;
    entry.timer = null;
    if (dueAt === null || entry.closed) return;
    entry.timer = setTimeout(
      () => {
        const now = this.now();
        // A step of a wait longer than setTimeout allows, or a timer that woke a little early: wait on.
        if (!isDue(dueAt, now)) {
          this.arm(name, entry, schedule, dueAt);
          return;
        }
        this.arm(name, entry, schedule, runAfter(schedule, dueAt, now));
        this.onRun(name);
      },
      delayUntil(dueAt, this.now()),
    );
    entry.timer.unref();
  }
}
