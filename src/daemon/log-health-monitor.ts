import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defaults } from '../core/defaults.js';
import { deletedLogsOf } from '../runtime/deleted-logs.js';
import {
  type FileVerdict,
  type FolderState,
  fileProblem,
  fileProblemSync,
  folderState,
  isDevice,
  type LogProblem,
  logVerdict,
} from '../runtime/log-health.js';
import { LogRescue } from '../runtime/log-rescue.js';
import type { ManagedProcess } from './managed-process.js';

/** What the monitor needs of a process: where its logs go, whether it runs, and places for the verdicts. */
type Watched = Pick<ManagedProcess, 'logPaths' | 'pid' | 'logProblem' | 'logNote' | 'spec'>;

/** A deleted log file being copied into its new self, and the processes (by the pid they had) that still write it. */
interface Rescue<P> {
  rescue: LogRescue;
  holders: Map<P, number>;
  stop: () => void;
}

/**
 * Checks that each running process's log files can be written and their disk has room, so `tend ls`/`show` and the
 * dashboards say so before (or while) the app's lines are lost; and that no process writes into a log file someone
 * deleted, whose lines it then copies into a new file at the old path.
 *
 * Every `logHealthEveryMs`, the folders (room, a file where a folder should be, deleted entries) are checked, and the
 * files and outputs of a share of the processes in turn (each once in `logHealthFileEvery` checks): all of 1,000
 * apps' files in one check was a burst of thousands of promises that outlived the young generation and cost the idle
 * daemon major GCs.
 */
export class LogHealthMonitor<P extends Watched> {
  private running: Promise<void> | null = null;
  private last = -Infinity;
  /** Where the next share of processes starts, in the order `processes()` gives them. */
  private cursor = 0;
  /** Each log folder as last seen (inode and mtime): a file deleted in it, or the folder itself, changes it. */
  private readonly folders = new Map<string, string>();
  /** Each log folder's state at the last folder check. */
  private readonly folderStates = new Map<string, FolderState>();
  /** Each log file's own state at its last check; a file not checked yet counts as fine until its folder says not. */
  private readonly ownVerdicts = new Map<string, FileVerdict>();
  private readonly rescues = new Map<string, Rescue<P>>();
  /** Each process's log files (not devices) and their folders, for the spec they were worked out from. */
  private readonly filesCache = new WeakMap<P, { spec: unknown; files: string[]; dirs: string[] }>();
  private readonly now: () => number;
  private readonly localFolder: string | null;

  constructor(
    private readonly processes: () => readonly P[],
    private readonly changed: (p: P) => void,
    options: {
      now?: () => number;
      /**
       * Files under this folder (the home's logs, where tend puts them unless told otherwise) are checked without
       * promises: its disk holds the daemon's own socket and state. Files elsewhere may sit on a network disk that
       * hangs, so they are checked off the daemon's thread.
       */
      localFolder?: string;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.localFolder = options.localFolder === undefined ? null : `${options.localFolder.replace(/\/+$/, '')}/`;
  }

  /** Called on every usage sample: when a check is due, the folders and this check's share of the processes. */
  tick(now: number): void {
    if (this.running || now - this.last < defaults.logHealthEveryMs) return;
    this.last = now;
    const running = this.processes().filter((p) => p.pid !== null);
    this.running = this.pass(running, this.nextShare(running)).finally(() => {
      this.running = null;
    });
  }

  /** The check in flight, if any, done (what tests wait on). */
  async settled(): Promise<void> {
    await this.running;
  }

  /** One whole check now: every folder, every file, every process's outputs (also what tests call). */
  async check(): Promise<void> {
    await this.running;
    const running = this.processes().filter((p) => p.pid !== null);
    this.last = this.now();
    await this.pass(running, running);
  }

  /** The processes whose own files this check looks at: each comes round once in `logHealthFileEvery` checks. */
  private nextShare(running: readonly P[]): P[] {
    const { start, count } = turnOf(running.length, this.cursor, defaults.logHealthFileEvery);
    this.cursor = start + count;
    const share: P[] = [];
    for (let k = 0; k < count; k++) share.push(running[(start + k) % running.length]!);
    return share;
  }

  /** A process's log files that are files (not devices), and their folders, worked out once per spec. */
  private filesOf(p: P): { files: string[]; dirs: string[] } {
    const cached = this.filesCache.get(p);
    if (cached && cached.spec === p.spec) return cached;
    const { out, err } = p.logPaths;
    const files = [out, err].filter((f): f is string => f !== null && !isDevice(f));
    const entry = { spec: p.spec, files, dirs: files.map((f) => dirname(f)) };
    this.filesCache.set(p, entry);
    return entry;
  }

  /** Every folder, the files of `share`, and deleted outputs of `share` and of whatever writes into a changed folder. */
  private async pass(running: readonly P[], share: readonly P[]): Promise<void> {
    const dirs = new Set<string>();
    for (const p of running) for (const dir of this.filesOf(p).dirs) dirs.add(dir);
    const changedFolders = await this.checkFolders(dirs);
    const remote: string[] = [];
    for (const p of share) {
      for (const file of this.filesOf(p).files) {
        if (this.localFolder !== null && file.startsWith(this.localFolder))
          this.ownVerdicts.set(file, fileProblemSync(file));
        else remote.push(file);
      }
    }
    if (remote.length > 0) {
      const verdicts = await Promise.all(remote.map((file) => fileProblem(file)));
      for (let i = 0; i < remote.length; i++) this.ownVerdicts.set(remote[i]!, verdicts[i]!);
    }
    const inShare = new Set(share);
    await this.rescueDeleted(
      changedFolders.size > 0
        ? running.filter((p) => inShare.has(p) || this.filesOf(p).dirs.some((d) => changedFolders.has(d)))
        : share,
    );
    for (const p of this.processes()) {
      let problem: LogProblem | null = null;
      if (p.pid !== null) {
        const { files, dirs } = this.filesOf(p);
        for (let i = 0; i < files.length && problem === null; i++) {
          const folder = this.folderStates.get(dirs[i]!);
          problem = folder ? logVerdict(files[i]!, folder, this.ownVerdicts.get(files[i]!) ?? null) : null;
        }
      }
      if (!sameProblem(p.logProblem, problem)) {
        p.logProblem = problem;
        this.changed(p);
      }
    }
    this.forgetUnused(running);
  }

  /** Checks each folder (room, creatable) and returns those that changed since the last check. */
  private async checkFolders(dirs: ReadonlySet<string>): Promise<Set<string>> {
    const changed = new Set<string>();
    await Promise.all(
      [...dirs].map(async (dir) => {
        const [info, state] = await Promise.all([stat(dir).catch(() => null), folderState(dir)]);
        const seen = info === null ? 'missing' : `${info.ino}:${info.mtimeMs}`;
        if (this.folders.get(dir) !== seen) changed.add(dir);
        this.folders.set(dir, seen);
        this.folderStates.set(dir, state);
      }),
    );
    for (const dir of this.folders.keys()) {
      if (dirs.has(dir)) continue;
      this.folders.delete(dir);
      this.folderStates.delete(dir);
    }
    return changed;
  }

  /** Files no running process writes any more are forgotten (a process writing them again starts unchecked). */
  private forgetUnused(running: readonly P[]): void {
    if (this.ownVerdicts.size <= 2 * running.length) return;
    const used = new Set(running.flatMap((p) => this.filesOf(p).files));
    for (const file of this.ownVerdicts.keys()) if (!used.has(file)) this.ownVerdicts.delete(file);
  }

  /** Ends every rescue (the daemon is stopping): a last copy of what is there. */
  async close(): Promise<void> {
    await Promise.all([...this.rescues.values()].map((r) => this.endRescue(r)));
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
      for (const deleted of deletedLogsOf(pid, p.logPaths)) {
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

/**
 * Which of `length` items one turn of a round takes, from `cursor` on (wrapping), so each comes round once in
 * `turns` turns: the processes a log check looks at closely.
 */
export function turnOf(length: number, cursor: number, turns: number): { start: number; count: number } {
  if (length === 0) return { start: 0, count: 0 };
  return { start: cursor % length, count: Math.min(length, Math.ceil(length / Math.max(1, turns))) };
}

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function sameProblem(a: LogProblem | null, b: LogProblem | null): boolean {
  return a === b || (a !== null && b !== null && a.file === b.file && a.code === b.code);
}
