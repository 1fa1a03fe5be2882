/** One process's CPU and memory samples, oldest first: times in ms since the epoch, CPU in %, RSS in bytes. */
export interface UsageSeries {
  t: number[];
  cpu: number[];
  rss: number[];
}

const TIME_STEP_MS = 100;
const MAX_KIB = 0xffff_ffff;

/**
 * A fixed-size ring of (time, cpu, rss) samples in typed arrays: a process costs the same 12 bytes a point
 * (43 KB for an hour at 1 s; 4.3 MB for 100 processes) however long the daemon runs. Times are kept to the tenth
 * of a second from the first sample (an Int32: ±6 years, and a clock set back stays in range), CPU as a float32,
 * RSS in KiB (a Uint32: up to 4 TiB). What a chart draws needs no more.
 */
export class UsageRing {
  private readonly times: Int32Array;
  private readonly cpus: Float32Array;
  private readonly rssKiB: Uint32Array;
  /** The time the stored tenths of a second count from: the first sample's. */
  private base: number | null = null;
  /** Where the next sample goes. */
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer; got ${capacity}`);
    this.times = new Int32Array(capacity);
    this.cpus = new Float32Array(capacity);
    this.rssKiB = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(at: number, cpu: number, rss: number): void {
    this.base ??= at;
    this.times[this.next] = Math.round((at - this.base) / TIME_STEP_MS);
    this.cpus[this.next] = cpu;
    this.rssKiB[this.next] = Math.min(Math.round(rss / 1024), MAX_KIB);
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  last(): { t: number; cpu: number; rss: number } | null {
    if (this.count === 0) return null;
    const i = (this.next - 1 + this.capacity) % this.capacity;
    return { t: this.timeAt(i), cpu: Math.round(this.cpus[i]! * 100) / 100, rss: this.rssKiB[i]! * 1024 };
  }

  private timeAt(i: number): number {
    return (this.base ?? 0) + this.times[i]! * TIME_STEP_MS;
  }

  /** The samples taken at or after `since` (all of them by default), oldest first. */
  series(since = -Infinity): UsageSeries {
    const out: UsageSeries = { t: [], cpu: [], rss: [] };
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let k = 0; k < this.count; k++) {
      const i = (start + k) % this.capacity;
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

/** The last hour of CPU and memory of every process, for the dashboards' charts; ids no longer managed are dropped. */
export class UsageHistory {
  private readonly rings = new Map<number, UsageRing>();
  /** Ids recorded this tick; kept between ticks, so a tick allocates nothing. */
  private readonly seen = new Set<number>();

  constructor(private readonly capacity: number) {}

  /**
   * Records one tick: `sampleOf` gives each process's figures, null when it is not running (a zero point, so a chart
   * shows it down rather than frozen).
   */
  record<T extends { readonly id: number }>(at: number, processes: Iterable<T>, sampleOf: (process: T) => { cpu: number; rss: number } | null | undefined): void {
    const seen = this.seen;
    seen.clear();
    for (const process of processes) {
      const id = process.id;
      seen.add(id);
      let ring = this.rings.get(id);
      if (!ring) {
        ring = new UsageRing(this.capacity);
        this.rings.set(id, ring);
      }
      const sample = sampleOf(process);
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
