import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { RotateSpec } from '../config/types.js';
import { defaults } from '../core/defaults.js';
import { rotatedName } from './rotation.js';
import { formatTime } from './timestamp.js';

/** What the sink needs from outside, so tests can give it a clock. */
export interface SinkDeps {
  now: () => number;
  /** Called after each rotation with the rotated file's path (compression and retention happen there, off the write path). */
  onRotated: (rotated: string) => void;
  /** Called when the file at the path is no longer the one written (deleted, or moved away) and a new one was opened. */
  onPathLost?: (file: string) => void;
}

/** A write the disk refused part-way: `written` bytes of the data are in the file, the rest is not. */
export class SinkWriteError extends Error {
  constructor(
    readonly written: number,
    readonly code: string,
    options: { cause: unknown },
  ) {
    super((options.cause as Error).message, options);
  }
}

/**
 * One log file as the writer holds it: appends whole lines and, with rotation on, renames the file
 * and opens a new one between two writes, so a line is never split across files, lost or written twice.
 * Writes are synchronous on purpose: while the disk is slow the writer stops reading, the app's pipe
 * fills and the app waits (backpressure), instead of the writer buffering without bound. A file that
 * cannot be opened (a full disk, no permission) is opened again at the next write.
 */
export class FileSink {
  private fd: number | null = null;
  private size = 0;
  /** The file does not end in a newline (another process died mid-line): one is written before our first line. */
  private lineOpen = false;
  /** When the path was last checked to still name the file written. */
  private pathCheckedAt = 0;

  constructor(
    readonly file: string,
    private readonly rotate: RotateSpec | null,
    private readonly deps: SinkDeps,
  ) {
    try {
      this.open();
    } catch {
      // Told by the first write, which the writer reports and retries.
    }
  }

  /** Appends the text (whole lines); on failure throws a SinkWriteError telling how much of it went in. */
  write(data: Buffer): void {
    this.followPath();
    let written = 0;
    try {
      const fd = this.fd ?? this.open();
      if (this.lineOpen) {
        writeSync(fd, '\n');
        this.lineOpen = false;
      }
      while (written < data.length) written += writeSync(fd, data, written);
    } catch (error) {
      throw new SinkWriteError(written, (error as NodeJS.ErrnoException).code ?? 'EIO', { cause: error });
    }
    if (this.rotate === null) return;
    this.size += data.length;
    if (this.size < this.rotate.maxBytes) return;
    // Other instances may append to the same file (merged logs): the real size decides.
    this.size = fstatSync(this.fd!).size;
    if (this.size >= this.rotate.maxBytes) this.rotateNow();
  }

  /** Opens the path again: after an external logrotate moved the file, writing continues in a fresh one. */
  reopen(): void {
    const old = this.fd;
    // On failure the old fd stays: the writer reports it and goes on where it was.
    this.open();
    if (old !== null) closeSync(old);
  }

  /**
   * A file deleted (or moved away by a logrotate without `reloadLogs`) while held would take every later line with it:
   * at most once a second, before a write, the path is checked to still name the file, and opened again when it does
   * not, so at most the lines of that second go where nobody reads them. Its folder is made again if it is gone.
   */
  private followPath(): void {
    const now = this.deps.now();
    if (this.fd === null || now - this.pathCheckedAt < defaults.logPathCheckMs) return;
    this.pathCheckedAt = now;
    if (this.pathIsOurs()) return;
    this.close();
    this.deps.onPathLost?.(this.file);
    // Opened by the write that follows; if that fails, the writer holds and retries as for any write it cannot make.
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
    } catch (error) {
      // mkdir says EEXIST when a file stands where a folder of the path should be; the user needs to hear ENOTDIR.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw Object.assign(new Error(`${dirname(this.file)} or a folder above it is not a folder`), { code: 'ENOTDIR' });
    }
    const fd = openSync(this.file, 'a+', 0o640);
    this.fd = fd;
    this.size = fstatSync(fd).size;
    // A process that died mid-line (a crash on a full disk) left its last line open: ours start on a line of their own.
    this.lineOpen = this.size > 0 && !endsInNewline(fd, this.size);
    return fd;
  }

  private rotateNow(): void {
    const rotate = this.rotate!;
    const lock = `${this.file}.rotating`;
    if (!this.lock(lock)) return;
    try {
      // Another instance's writer rotated first: our fd points at the rotated file; follow the path instead.
      if (!this.pathIsOurs()) {
        this.reopen();
        return;
      }
      const target = rotatedName(this.file, formatTime(new Date(this.deps.now()), rotate.dateFormat), existsSync);
      renameSync(this.file, target);
      this.reopen();
      this.deps.onRotated(target);
    } finally {
      unlinkSync(lock);
    }
  }

  private pathIsOurs(): boolean {
    try {
      return this.fd !== null && statSync(this.file).ino === fstatSync(this.fd).ino;
    } catch {
      return false;
    }
  }

  // One rotation at a time per file, across writers; a lock left by a writer killed mid-rotation expires.
  private lock(lock: string): boolean {
    try {
      closeSync(openSync(lock, 'wx', 0o640));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (this.deps.now() - statSync(lock).mtimeMs < defaults.rotateLockStaleMs) return false;
      unlinkSync(lock);
      closeSync(openSync(lock, 'wx', 0o640));
      return true;
    } catch {
      return false;
    }
  }
}

function endsInNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
}
