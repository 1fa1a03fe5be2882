import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defaults } from '../core/defaults.js';
import { deletedLogsOf } from '../runtime/deleted-logs.js';
import { checkLogFiles, type LogProblem } from '../runtime/log-health.js';
import { LogRescue } from '../runtime/log-rescue.js';
import type { ManagedProcess } from './managed-process.js';

/** What the monitor needs of a process: where its logs go, whether it runs, and places for the verdicts. */
type Watched = Pick<ManagedProcess, 'logPaths' | 'pid' | 'logProblem' | 'logNote'>;

/** A deleted log file being copied into its new self, and the processes (by the pid they had) that still write it. */
interface Rescue<P> {
  rescue: LogRescue;
  holders: Map<P, number>;
  stop: () => void;
}

/**
 * Checks, every few seconds, that each running process's log files can be written and their disk has room,
 * so `tend ls`/`show` and the dashboards say so before (or while) the app's lines are lost; and that no process
 * writes into a log file someone deleted, whose lines it then copies into a new file at the old path.
 */
export class LogHealthMonitor<P extends Watched> {
  private running: Promise<void> | null = null;
  private last = -Infinity;
  private checks = 0;
  /** Each log folder as last seen (inode and mtime): a file deleted in it, or the folder itself, changes it. */
  private readonly folders = new Map<string, string>();
  private readonly rescues = new Map<string, Rescue<P>>();

  constructor(
    private readonly processes: () => readonly P[],
    private readonly changed: (p: P) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called on every usage sample; runs a check when one is due and none is in flight. */
  tick(now: number): void {
    if (this.running || now - this.last < defaults.logHealthEveryMs) return;
    this.last = now;
    this.running = this.check().finally(() => {
      this.running = null;
    });
  }

  /** One check now (also what tests call). */
  async check(): Promise<void> {
    const running = this.processes().filter((p) => p.pid !== null);
    const files = running.flatMap((p) => [p.logPaths.out, p.logPaths.err]).filter((f): f is string => f !== null);
    const eachFile = this.checks++ % defaults.logHealthFileEvery === 0;
    // Folders (room, a file where a folder should be) every check; each file's own permission one check in six.
    const [verdicts, changedFolders] = await Promise.all([
      checkLogFiles(files, { eachFile }),
      this.changedFolders(files),
    ]);
    await this.rescueDeleted(
      running.filter(
        (p) => eachFile || [p.logPaths.out, p.logPaths.err].some((f) => f && changedFolders.has(dirname(f))),
      ),
    );
    for (const p of this.processes()) {
      const { out, err } = p.logPaths;
      let problem = p.pid === null ? null : (out && verdicts.get(out)) || (err && verdicts.get(err)) || null;
      // A check that did not look at the files cannot clear what only the files showed.
      if (!eachFile && problem === null && p.pid !== null && p.logProblem?.scope === 'file') problem = p.logProblem;
      if (!sameProblem(p.logProblem, problem)) {
        p.logProblem = problem;
        this.changed(p);
      }
    }
  }

  /** Ends every rescue (the daemon is stopping): a last copy of what is there. */
  async close(): Promise<void> {
    await Promise.all([...this.rescues.values()].map((r) => this.endRescue(r)));
  }

  /** The folders of `files` that changed since the last check: only there can a log file have been deleted. */
  private async changedFolders(files: readonly string[]): Promise<Set<string>> {
    const changed = new Set<string>();
    await Promise.all(
      [...new Set(files.map((f) => dirname(f)))].map(async (dir) => {
        const info = await stat(dir).catch(() => null);
        const seen = info === null ? 'missing' : `${info.ino}:${info.mtimeMs}`;
        if (this.folders.get(dir) !== seen) changed.add(dir);
        this.folders.set(dir, seen);
      }),
    );
    return changed;
  }

  /**
   * Finds the processes that write their stdout or stderr into a deleted file (they hold it open: an app writing its
   * logs directly cannot be told to reopen them), starts copying those files' new lines into new ones at their paths,
   * and ends the copies whose writers have all exited.
   */
  private async rescueDeleted(suspects: readonly P[]): Promise<void> {
    const gone = new Set<P>();
    for (const rescue of this.rescues.values()) {
      for (const [p, pid] of rescue.holders) {
        if (p.pid === pid) continue;
        rescue.holders.delete(p);
        gone.add(p);
      }
      if (rescue.holders.size === 0) await this.endRescue(rescue);
    }
    // The note of a process goes with its last rescue: its next process opened the new files itself.
    for (const p of gone) {
      if (p.logNote?.code !== 'DELETED' || p.logNote.until !== Number.POSITIVE_INFINITY) continue;
      if ([...this.rescues.values()].some((r) => r.holders.has(p))) continue;
      p.logNote = null;
      this.changed(p);
    }
    for (const p of suspects) {
      const pid = p.pid;
      if (pid === null) continue;
      for (const deleted of await deletedLogsOf(pid, p.logPaths)) {
        if ([...this.rescues.values()].some((r) => r.rescue.file === deleted.file && r.holders.get(p) === pid))
          continue;
        const rescue = await LogRescue.start(pid, deleted.fd, deleted.file, this.now()).catch(() => null);
        if (rescue === null) {
          this.note(
            p,
            deleted.file,
            `${deleted.file} was deleted while the app writes it: its lines are lost until it restarts`,
          );
          continue;
        }
        const same = this.rescues.get(rescue.inode);
        if (same) {
          await rescue.close();
          same.holders.set(p, pid);
        } else {
          const timer = setInterval(() => void rescue.copy().catch(() => undefined), defaults.logRescueEveryMs);
          timer.unref();
          this.rescues.set(rescue.inode, { rescue, holders: new Map([[p, pid]]), stop: () => clearInterval(timer) });
        }
      }
    }
    const byProcess = new Map<P, LogRescue[]>();
    for (const { rescue, holders } of this.rescues.values())
      for (const p of holders.keys()) byProcess.set(p, [...(byProcess.get(p) ?? []), rescue]);
    for (const [p, rescues] of byProcess) {
      const held = (await Promise.all(rescues.map((r) => r.heldBytes().catch(() => 0)))).reduce((a, b) => a + b, 0);
      const at = new Date(Math.min(...rescues.map((r) => r.since))).toLocaleTimeString('en-GB');
      const files = rescues.map((r) => r.file);
      const message =
        `${files.join(' and ')} ${files.length > 1 ? 'were' : 'was'} deleted while the app writes ${files.length > 1 ? 'them' : 'it'}: ` +
        `tend made ${files.length > 1 ? 'them' : 'it'} again at ${at} and copies the app's new lines into ${files.length > 1 ? 'them' : 'it'} ` +
        `until the app restarts (lines written before ${at} are lost${held > 0 ? `; the deleted ${files.length > 1 ? 'files' : 'file'} still take${files.length > 1 ? '' : 's'} ${mib(held)}` : ''})`;
      this.note(p, files[0]!, message, Number.POSITIVE_INFINITY);
    }
  }

  private async endRescue(r: Rescue<P>): Promise<void> {
    r.stop();
    this.rescues.delete(r.rescue.inode);
    await r.rescue.close();
  }

  private note(p: P, file: string, message: string, until = this.now() + defaults.logLossNoticeMs): void {
    if (p.logNote?.message === message) return;
    p.logNote = { file, code: 'DELETED', message, scope: 'file', until };
    this.changed(p);
  }
}

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function sameProblem(a: LogProblem | null, b: LogProblem | null): boolean {
  return a === b || (a !== null && b !== null && a.file === b.file && a.code === b.code);
}
