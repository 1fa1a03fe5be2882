import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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
}

/**
 * One log file as the writer holds it: appends whole lines and, with rotation on, renames the file
 * and opens a new one between two writes, so a line is never split across files, lost or written twice.
 * Writes are synchronous on purpose: while the disk is slow the writer stops reading, the app's pipe
 * fills and the app waits (backpressure), instead of the writer buffering without bound.
 */
export class FileSink {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly rotate: RotateSpec | null,
    private readonly deps: SinkDeps,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  /** Appends the text (whole lines); throws what the disk says (ENOSPC, EIO), leaving nothing half-written on our side. */
  write(data: Buffer): void {
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written);
    if (this.rotate === null) return;
    this.size += data.length;
    if (this.size < this.rotate.maxBytes) return;
    // Other instances may append to the same file (merged logs): the real size decides.
    this.size = fstatSync(this.fd).size;
    if (this.size >= this.rotate.maxBytes) this.rotateNow();
  }

  /** Opens the path again: after an external logrotate moved the file, writing continues in a fresh one. */
  reopen(): void {
    const fresh = openSync(this.file, 'a', 0o640);
    closeSync(this.fd);
    this.fd = fresh;
    this.size = fstatSync(fresh).size;
  }

  close(): void {
    closeSync(this.fd);
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
      return statSync(this.file).ino === fstatSync(this.fd).ino;
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
