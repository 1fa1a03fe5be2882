import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readlinkSync, writeSync } from 'node:fs';
import { lstat, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The stdin of a fork-mode instance (`tend send`, `tend attach`): a FIFO in the home, one per process id, that the
 * instance's stdin is opened from read-write. Apps are detached and outlive the daemon, so a pipe the daemon held would
 * close with it; a FIFO has no owner: any daemon (the next one too) writes to it by its path. Opened read-write, the
 * app is its own writer as well, so it never reads end-of-file while nobody sends. Data nobody read is dropped with
 * the last process that had it open: a restarted instance starts with an empty input.
 */
export function stdinFifoPath(home: string, id: number): string {
  return join(home, 'stdin', String(id));
}

const run = promisify(execFile);

/** FIFOs asked for in this tick, made by one `mkfifo` for all of them: a 50-app start runs one program, not 50. */
let batch: { paths: string[]; done: Promise<void> } | null = null;

/**
 * Node has no mkfifo(3); coreutils' is on every Linux. Once per process id and home: later launches reuse the FIFO.
 * Resolves when the batch has run; whether `path` is a FIFO then is for the caller to check (a failure of one path,
 * or of the program, is found there).
 */
function makeFifo(path: string): Promise<void> {
  if (!batch) {
    const paths: string[] = [];
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        batch = null;
        return run('mkfifo', ['-m', '600', '--', ...paths]);
      })
      .then(
        () => undefined,
        () => undefined,
      );
    batch = { paths, done };
  }
  batch.paths.push(path);
  return batch.done;
}

/**
 * Makes sure `path` is a FIFO (made on first use, mode 0600) and opens it read-write for a child's stdin. The caller
 * closes the handle once the child is spawned. null when it cannot be had: the app then starts without (stdin ignored).
 */
export async function openStdinFifo(path: string): Promise<FileHandle | null> {
  try {
    const kind = await lstat(path).then(
      (stat) => (stat.isFIFO() ? 'fifo' : 'other'),
      () => 'missing',
    );
    if (kind === 'other') await unlink(path);
    if (kind !== 'fifo') {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await makeFifo(path);
      if (!(await lstat(path).catch(() => null))?.isFIFO()) throw new Error('mkfifo did not make it');
    }
    // O_RDWR never blocks on Linux, even with no other reader or writer.
    return await open(path, constants.O_RDWR | constants.O_NOCTTY);
  } catch (error) {
    console.error(`tend: no stdin for ${path}: ${(error as Error).message}`);
    return null;
  }
}

/** Whether the process's stdin is this FIFO: false for an instance started before tend gave one, or that replaced it. */
export function stdinIsFifo(pid: number, path: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/fd/0`) === path;
  } catch {
    return false;
  }
}

/** What a write to a process's stdin came to: every byte written, or where it stopped and why. */
export type StdinWrite =
  | { ok: true; bytes: number }
  | { ok: false; bytes: number; reason: 'no-reader' | 'full'; message: string };

/**
 * Writes `text` to the FIFO without ever blocking the daemon: a FIFO nobody reads (the app is gone) refuses at once,
 * and an app that does not read its input fills the pipe (64 KiB on Linux), after which the rest is refused.
 */
export function writeToFifo(path: string, text: string): StdinWrite {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, bytes: 0, reason: 'no-reader', message: `its stdin cannot be opened (${code ?? error})` };
  }
  const data = Buffer.from(text);
  let written = 0;
  try {
    while (written < data.length) written += writeSync(fd, data, written);
    return { ok: true, bytes: written };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN')
      return {
        ok: false,
        bytes: written,
        reason: 'full',
        message: `its stdin is full: it does not read its input (${written} of ${data.length} bytes written)`,
      };
    return {
      ok: false,
      bytes: written,
      reason: 'no-reader',
      message: `writing to its stdin failed (${code ?? error})`,
    };
  } finally {
    closeSync(fd);
  }
}
