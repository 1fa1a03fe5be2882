import { followFile, type Follower } from '../runtime/log-files.js';

/** One log file of one app. Fork instances share their files, so several processes may name the same one. */
export interface LogSource {
  file: string;
  app: string;
  stream: 'out' | 'err';
}

/** New lines of one file since the last flush; `skipped` counts lines of a flood that were not sent. */
export interface LogBatch {
  app: string;
  stream: 'out' | 'err';
  lines: string[];
  skipped: number;
}

export interface LogStreamOptions {
  /** Most lines of one file per flush. */
  maxLinesPerFlush: number;
  /** How often pending lines go out (ms). */
  flushMs: number;
  /** Longest line sent; the rest is cut (a page is no place for a 10 MB line). */
  maxLineChars?: number;
  follow?: typeof followFile;
}

interface Followed {
  source: LogSource;
  follower: Follower;
  pending: string[];
  skipped: number;
}

/** Follows the log files of every app while a page is open, batching lines so a chatty app cannot flood the browser. */
export class LogStream {
  private readonly followed = new Map<string, Followed>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly onBatches: (batches: LogBatch[]) => void,
    private readonly options: LogStreamOptions,
  ) {
    this.timer = setInterval(() => this.flush(), options.flushMs);
    this.timer.unref();
  }

  /** Follows exactly these files: new ones from their current end, gone ones no more. */
  sync(sources: LogSource[]): void {
    const wanted = new Map<string, LogSource>();
    for (const s of sources) if (!wanted.has(s.file)) wanted.set(s.file, s);
    for (const [file, entry] of this.followed) {
      if (!wanted.has(file)) {
        entry.follower.close();
        this.followed.delete(file);
      }
    }
    const follow = this.options.follow ?? followFile;
    const maxChars = this.options.maxLineChars ?? 8192;
    for (const [file, source] of wanted) {
      if (this.followed.has(file)) continue;
      const entry: Followed = { source, follower: { close: () => undefined }, pending: [], skipped: 0 };
      entry.follower = follow(
        file,
        (lines) => {
          for (const line of lines) entry.pending.push(line.length > maxChars ? `${line.slice(0, maxChars)}…` : line);
          const over = entry.pending.length - this.options.maxLinesPerFlush;
          if (over > 0) {
            entry.pending.splice(0, over);
            entry.skipped += over;
          }
        },
        { onError: (err) => console.error(`dashboard: cannot follow ${file}: ${err.message}`) },
      );
      this.followed.set(file, entry);
    }
  }

  flush(): void {
    const batches: LogBatch[] = [];
    for (const entry of this.followed.values()) {
      if (entry.pending.length === 0 && entry.skipped === 0) continue;
      batches.push({
        app: entry.source.app,
        stream: entry.source.stream,
        lines: entry.pending,
        skipped: entry.skipped,
      });
      entry.pending = [];
      entry.skipped = 0;
    }
    if (batches.length > 0) this.onBatches(batches);
  }

  close(): void {
    clearInterval(this.timer);
    this.sync([]);
  }
}
