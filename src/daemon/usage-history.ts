import type { UsageSeries } from '../api/methods.js';

const TIME_STEP_MS = 100;
const MAX_KIB = 0xffff_ffff;
/** Points a ring holds before it first grows: a process just started has a few seconds of history, not an hour's. */
const FIRST_POINTS = 16;

/**
 * A ring of at most `capacity` (time, cpu, rss) samples in typed arrays: 12 bytes a point, however long the daemon
 * runs (a Float64 time and RSS, as before, made it 20). Times are kept to the tenth
 * of a second from the first sample (an Int32: ±6 years, and a clock set back stays in range), CPU as a float32,
 * RSS in KiB (a Uint32: up to 4 TiB). What a chart draws needs no more. The arrays double as points come, until
 * they hold `capacity`: 100 apps just started hold 20 KB, not the 0.8 MB of an hour's history.
 */
export class UsageRing {
  private times: Int32Array;
  private cpus: Float32Array;
  private rssKiB: Uint32Array;
  /** The time the stored tenths of a second count from: the first sample's. */
  private base: number | null = null;
  /** Where the next sample goes. */
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring capacity must be a positive integer; got ${capacity}`);
    const points = Math.min(capacity, FIRST_POINTS);
    this.times = new Int32Array(points);
    this.cpus = new Float32Array(points);
    this.rssKiB = new Uint32Array(points);
  }

  get size(): number {
    return this.count;
  }

  push(at: number, cpu: number, rss: number): void {
    if (this.count === this.times.length && this.count < this.capacity) this.grow();
    this.base ??= at;
    this.times[this.next] = Math.round((at - this.base) / TIME_STEP_MS);
    this.cpus[this.next] = cpu;
    this.rssKiB[this.next] = Math.min(Math.round(rss / 1024), MAX_KIB);
    this.next = (this.next + 1) % this.times.length;
    if (this.count < this.times.length) this.count += 1;
  }

  /** Called only when every slot is taken and none overwritten yet, so the points sit in order from 0. */
  private grow(): void {
    const points = Math.min(this.capacity, this.times.length * 2);
    const times = new Int32Array(points);
    const cpus = new Float32Array(points);
    const rssKiB = new Uint32Array(points);
    times.set(this.times);
    cpus.set(this.cpus);
    rssKiB.set(this.rssKiB);
    this.times = times;
    this.cpus = cpus;
    this.rssKiB = rssKiB;
    this.next = this.count;
  }

  last(): { t: number; cpu: number; rss: number } | null {
    if (this.count === 0) return null;
    const i = (this.next - 1 + this.times.length) % this.times.length;
    return { t: this.timeAt(i), cpu: Math.round(this.cpus[i]! * 100) / 100, rss: this.rssKiB[i]! * 1024 };
  }

  private timeAt(i: number): number {
    return (this.base ?? 0) + this.times[i]! * TIME_STEP_MS;
  }

  /** The samples taken at or after `since` (all of them by default), oldest first. */
  series(since = -Infinity): UsageSeries {
    const out: UsageSeries = { t: [], cpu: [], rss: [] };
    const length = this.times.length;
    const start = (this.next - this.count + length) % length;
    for (let k = 0; k < this.count; k++) {
      const i = (start + k) % length;
      const at = this.timeAt(i);
      if (at < since) continue;
      out.t.push(at);
      // Float32 keeps ~7 digits: round so 12.5 does not come back as 12.500000953674316.
      out.cpu.push(Math.round(this.cpus[i]! * 100) / 100);
      out.rss.push(this.rssKiB[i]! * 1024);
    }
    return out;
  }
}

/** How much history a process keeps: every sample for a while, then one point a bucket. */
export interface UsageHistoryShape {
  recentPoints: number;
  bucketMs: number;
  olderPoints: number;
}

/**
 * One process's history: its last `recentPoints` samples as taken (what a sparkline of the last minutes draws), and
 * before them one point per `bucketMs`, timed at the bucket's start (average CPU, highest RSS, so a peak that tripped a
 * memory limit still shows). An hour at 1 s kept whole is 3,600 points; as 5 minutes whole and 10 s buckets it is 660
 * (the buckets span the whole hour), and no chart is wide enough to tell: 100 processes hold 0.8 MB instead of 4.3.
 */
export class ProcessUsage {
  private readonly recent: UsageRing;
  private readonly older: UsageRing;
  private bucketStart: number | null = null;
  private cpuSum = 0;
  private samples = 0;
  private rssMax = 0;

  constructor(private readonly shape: UsageHistoryShape) {
    this.recent = new UsageRing(shape.recentPoints);
    this.older = new UsageRing(shape.olderPoints);
  }

  push(at: number, cpu: number, rss: number): void {
    this.recent.push(at, cpu, rss);
    if (this.bucketStart !== null && at - this.bucketStart >= this.shape.bucketMs) this.closeBucket();
    this.bucketStart ??= at;
    this.cpuSum += cpu;
    this.samples += 1;
    this.rssMax = Math.max(this.rssMax, rss);
  }

  last(): { t: number; cpu: number; rss: number } | null {
    return this.recent.last();
  }

  /** Buckets older than the recent samples, then the recent samples: oldest first, each time once. */
  series(since = -Infinity): UsageSeries {
    const recent = this.recent.series(since);
    const older = this.older.series(since);
    const firstRecent = recent.t[0] ?? Infinity;
    const keep = older.t.findIndex((t) => t >= firstRecent);
    const cut = keep < 0 ? older.t.length : keep;
    return {
      t: [...older.t.slice(0, cut), ...recent.t],
      cpu: [...older.cpu.slice(0, cut), ...recent.cpu],
      rss: [...older.rss.slice(0, cut), ...recent.rss],
    };
  }

  private closeBucket(): void {
    this.older.push(this.bucketStart!, this.cpuSum / this.samples, this.rssMax);
    this.bucketStart = null;
    this.cpuSum = 0;
    this.samples = 0;
    this.rssMax = 0;
  }
}

/** The last hour of CPU and memory of every process, for the dashboards' charts; ids no longer managed are dropped. */
export class UsageHistory {
  private readonly rings = new Map<number, ProcessUsage>();
  /** Ids recorded this tick; kept between ticks, so a tick allocates nothing. */
  private readonly seen = new Set<number>();

  constructor(private readonly shape: UsageHistoryShape) {}

  /**
   * Records one tick: `sampleOf` gives each process's figures, null when it is not running (a zero point, so a chart
   * shows it down rather than frozen), undefined when it was not read on this tick (no point: the sampler reads the
   * apps nobody looks at in turns).
   */
  record<T extends { readonly id: number }>(
    at: number,
    processes: Iterable<T>,
    sampleOf: (process: T) => { cpu: number; rss: number } | null | undefined,
  ): void {
    const seen = this.seen;
    seen.clear();
    for (const process of processes) {
      const id = process.id;
      seen.add(id);
      const sample = sampleOf(process);
      if (sample === undefined) continue;
      let ring = this.rings.get(id);
      if (!ring) {
        ring = new ProcessUsage(this.shape);
        this.rings.set(id, ring);
      }
      ring.push(at, sample?.cpu ?? 0, sample?.rss ?? 0);
    }
    for (const id of this.rings.keys()) if (!seen.has(id)) this.rings.delete(id);
  }

  /** Every process's series, keyed by process id. */
  all(since?: number): Record<number, UsageSeries> {
    const out: Record<number, UsageSeries> = {};
    for (const [id, ring] of this.rings) out[id] = ring.series(since);
    return out;
  }

  /** The newest point of every process: what a dashboard appends to its charts each tick. */
  latest(): Array<{ id: number; t: number; cpu: number; rss: number }> {
    const out: Array<{ id: number; t: number; cpu: number; rss: number }> = [];
    for (const [id, ring] of this.rings) {
      const last = ring.last();
      if (last) out.push({ id, ...last });
    }
    return out;
  }

  of(id: number, since?: number): UsageSeries | null {
    return this.rings.get(id)?.series(since) ?? null;
  }
}
