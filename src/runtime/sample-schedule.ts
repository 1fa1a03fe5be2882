// Which processes the usage sampler reads on which tick, and when it lists /proc for their children: pure, no clock.

/** A process tree the sampler may read: its root pid, and whether a decision waits on it every tick (a memory limit). */
export interface SampleRoot {
  pid: number;
  everyTick: boolean;
}

export interface SampleScheduleOptions {
  /** Roots read per tick at least (every root, when there are no more): a few apps are all read every tick. */
  minPerTick: number;
  /** The most ticks between two readings of one root: how old a figure `tend ls` shows may be. */
  roundTicks: number;
  /** Ticks a look (`list`, `show`, monit, the dashboard) keeps every root read every tick. */
  lookTicks: number;
  /** Ticks between two listings of /proc while some tree's total decides something or is looked at. */
  walkEveryTicks: number;
  /** Ticks between two listings of /proc otherwise: children only show in `ls` figures, as PM2 never counts them. */
  idleWalkEveryTicks: number;
}

/** One tick's work: the roots to read, and whether /proc is listed first to find the children of every root. */
export interface SamplePlan {
  read: number[];
  walk: boolean;
}

/**
 * Reading every app's `/proc/<pid>/stat` every second is most of an idle daemon's CPU at 1,000 apps, yet only the apps
 * with a memory limit act on it; the others feed `ls` and the charts. So each tick reads the roots with a limit, new
 * roots, and a share of the others in turn (at least `minPerTick`, and enough that each comes round within
 * `roundTicks`); for a few ticks after someone looks at the figures, it reads them all.
 */
export class SampleSchedule {
  private tick = 0;
  /** Pid → the tick it was last read. */
  private readonly lastRead = new Map<number, number>();
  private lookUntil = -1;
  private lastWalk: number | null = null;
  /** Roots the last walk listed /proc for: a root not among them has no children found yet. */
  private walked = new Set<number>();

  constructor(private readonly options: SampleScheduleOptions) {}

  /** Someone reads the figures: every root is read on this tick and the next `lookTicks` ones. */
  look(): void {
    this.lookUntil = this.tick + this.options.lookTicks;
  }

  /** The plan of the next tick for these roots (each root once). */
  next(roots: readonly SampleRoot[]): SamplePlan {
    const tick = this.tick++;
    if (roots.length === 0) {
      // Nothing to read: the next root starts afresh (read at once, its children listed at once).
      this.lastRead.clear();
      this.walked.clear();
      this.lastWalk = null;
      return { read: [], walk: false };
    }
    const { minPerTick, roundTicks } = this.options;
    const looking = tick <= this.lookUntil;
    const walk = this.walkDue(tick, roots, looking);
    const read: number[] = [];
    /** The other roots read before, by the tick they were last read. */
    const byLastRead = new Map<number, number[]>();
    let others = 0;
    for (const root of roots) {
      if (looking || root.everyTick) {
        read.push(root.pid);
        continue;
      }
      others++;
      const last = this.lastRead.get(root.pid);
      // A new root is read at once: `ls` right after a start shows its figures.
      if (last === undefined) read.push(root.pid);
      else {
        const group = byLastRead.get(last);
        if (group) group.push(root.pid);
        else byLastRead.set(last, [root.pid]);
      }
    }
    const mustRead = roots.length - others;
    const fresh = read.length - mustRead;
    // The budget left after the roots that must be read, but never so few that a root waits more than `roundTicks`.
    let budget = Math.max(minPerTick - mustRead, Math.ceil(others / roundTicks)) - fresh;
    // Oldest first; one read `roundTicks` ago is due whatever the budget (the list changed, or the first tick read all).
    for (const last of [...byLastRead.keys()].sort((a, b) => a - b)) {
      const due = tick - last >= roundTicks;
      for (const pid of byLastRead.get(last)!) {
        if (!due && budget <= 0) break;
        read.push(pid);
        budget--;
      }
      if (!due && budget <= 0) break;
    }
    for (const pid of read) this.lastRead.set(pid, tick);
    if (this.lastRead.size > roots.length) this.forgetGone(roots);
    if (walk) {
      this.lastWalk = tick;
      this.walked = new Set(roots.map((root) => root.pid));
    }
    return { read, walk };
  }

  /** /proc is listed for the first roots at once, then every few ticks when trees matter, seldom when they do not. */
  private walkDue(tick: number, roots: readonly SampleRoot[], looking: boolean): boolean {
    if (this.lastWalk === null) return true;
    const since = tick - this.lastWalk;
    if (since >= this.options.idleWalkEveryTicks) return true;
    if (since < this.options.walkEveryTicks) return false;
    // A root started since the last walk (a restart, an `npm start` whose node is its child) is counted whole soon.
    return looking || roots.some((root) => root.everyTick || !this.walked.has(root.pid));
  }

  private forgetGone(roots: readonly SampleRoot[]): void {
    const current = new Set(roots.map((root) => root.pid));
    for (const pid of this.lastRead.keys()) if (!current.has(pid)) this.lastRead.delete(pid);
  }
}
