import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Most copied in one go, so an app that writes fast never makes the daemon hold much in memory. */
const CHUNK_BYTES = 1024 * 1024;
/** Most copied per call: an app that writes faster than this is caught up with over the next calls. */
const MAX_BYTES_PER_COPY = 16 * CHUNK_BYTES;

/**
 * Copies what an app goes on writing into its deleted log file into a new file at the old path. An app that writes its
 * logs directly holds its stdout open and no other process can make it open a new file; but the deleted file is still
 * reachable through /proc/<pid>/fd/N, so its new bytes are copied, from the moment the deletion was found, until the
 * app exits (its next start opens the new file itself). Linux only, like /proc.
 */
export class LogRescue {
  private position: number;
  private target: FileHandle | null = null;
  private targetIno: number | null = null;
  private copying: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly source: FileHandle,
    /** dev:ino of the deleted file: two instances writing one merged file share one rescue. */
    readonly inode: string,
    readonly file: string,
    /** When the deletion was found: what the app wrote before then is lost with the file. */
    readonly since: number,
    size: number,
  ) {
    this.position = size;
  }

  /** Opens the deleted file through the app's fd and the new file at its path; null when /proc does not allow it. */
  static async start(pid: number, fd: 1 | 2, file: string, now: number): Promise<LogRescue | null> {
    const source = await open(`/proc/${pid}/fd/${fd}`, constants.O_RDONLY).catch(() => null);
    if (source === null) return null;
    const info = await source.stat();
    const rescue = new LogRescue(source, `${info.dev}:${info.ino}`, file, now, info.size);
    await rescue.copy();
    return rescue;
  }

  /** Bytes the deleted file still takes on its disk: freed only when the app closes it (exits). */
  async heldBytes(): Promise<number> {
    return this.closed ? 0 : (await this.source.stat()).size;
  }

  /** Copies what was written since the last call; makes the file (and its folder) again if it is gone again. */
  copy(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.copying ??= this.copyNow().finally(() => {
      this.copying = null;
    });
    return this.copying;
  }

  /** A last copy, then the files are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.copy().catch(() => undefined);
    this.closed = true;
    await Promise.all([this.source.close(), this.target?.close()]).catch(() => undefined);
  }

  private async copyNow(): Promise<void> {
    const target = await this.openTarget();
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let copied = 0; copied < MAX_BYTES_PER_COPY; ) {
      const { bytesRead } = await this.source.read(buffer, 0, CHUNK_BYTES, this.position);
      if (bytesRead === 0) return;
      let written = 0;
      while (written < bytesRead) written += (await target.write(buffer, written, bytesRead - written)).bytesWritten;
      this.position += bytesRead;
      copied += bytesRead;
    }
  }

  /** The file at the path, opened again when it is not the one we hold (deleted or replaced once more). */
  private async openTarget(): Promise<FileHandle> {
    const atPath = await stat(this.file).catch(() => null);
    if (this.target !== null && atPath !== null && atPath.ino === this.targetIno) return this.target;
    await this.target?.close().catch(() => undefined);
    this.target = null;
    // As a launch makes them (runtime/spawn-instance.ts).
    await mkdir(dirname(this.file), { recursive: true });
    const target = await open(this.file, 'a', 0o640);
    this.target = target;
    this.targetIno = (await target.stat()).ino;
    return target;
  }
}
