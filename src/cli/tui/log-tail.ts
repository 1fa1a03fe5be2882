import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ProcessView } from '../../api/methods.js';
import type { Follower, FollowOptions } from '../../runtime/log-files.js';
import type { LogLine } from './layout.js';
import { sanitize } from './text.js';

export interface LogFilePorts {
  /** Current size in bytes, 0 for a file not created yet. */
  size(file: string): Promise<number>;
  readLastLines(file: string, n: number): Promise<string[]>;
  followFile(file: string, onLines: (lines: string[]) => void, options?: FollowOptions): Follower;
}

/**
 * The live log of the selected process: the last lines of its out and err files, then what is
 * appended. The files are read directly, as `tend logs` does; switching processes drops the old followers.
 */
export class LogTail {
  private files = '';
  private followers: Follower[] = [];
  private buffer: LogLine[] = [];
  private generation = 0;

  constructor(
    private readonly capacity: number,
    private readonly ports: LogFilePorts,
    private readonly onChange: () => void,
    private readonly onError: (error: Error) => void,
  ) {}

  lines(): readonly LogLine[] {
    return this.buffer;
  }

  /** Follows this process's files; a no-op when they are the ones already followed. */
  show(view: ProcessView | undefined): void {
    const sources: Array<[string, 'out' | 'err']> = [];
    if (view?.pm_out_log_path) sources.push([view.pm_out_log_path, 'out']);
    if (view?.pm_err_log_path && view.pm_err_log_path !== view.pm_out_log_path)
      sources.push([view.pm_err_log_path, 'err']);
    const key = sources.map(([file]) => file).join('\0');
    if (key === this.files) return;
    this.close();
    this.files = key;
    this.buffer = [];
    const generation = ++this.generation;
    this.onChange();
    void this.load(sources, generation).catch((error: unknown) => {
      if (generation === this.generation) this.onError(error instanceof Error ? error : new Error(String(error)));
    });
  }

  close(): void {
    for (const follower of this.followers) follower.close();
    this.followers = [];
    this.files = '';
    this.generation++;
  }

  private async load(sources: Array<[string, 'out' | 'err']>, generation: number): Promise<void> {
    const starts: number[] = [];
    const initial: LogLine[] = [];
    // The two files' old lines cannot be interleaved (they carry no times), so each comes under its
    // own heading, err first: the newest stdout lines end up nearest the live ones.
    for (const [file, stream] of [...sources].reverse()) {
      // The size is taken before reading, so following starts where the snapshot ended.
      starts.unshift(await this.ports.size(file));
      const last = await this.ports.readLastLines(file, this.capacity);
      if (last.length > 0) initial.push({ stream: 'note', text: `${basename(file)}, last lines:` });
      for (const text of last) initial.push({ stream, text: sanitize(text) });
    }
    if (generation !== this.generation) return;
    this.append(initial);
    sources.forEach(([file, stream], i) => {
      const follower = this.ports.followFile(
        file,
        (lines) => {
          if (generation === this.generation) this.append(lines.map((text) => ({ stream, text: sanitize(text) })));
        },
        { from: starts[i], onError: this.onError },
      );
      this.followers.push(follower);
    });
  }

  private append(lines: LogLine[]): void {
    if (lines.length === 0) return;
    this.buffer.push(...lines);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    this.onChange();
  }
}

/** The real size port: a missing file counts as empty, since apps create their logs on first write. */
export function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0;
      throw error;
    },
  );
}
