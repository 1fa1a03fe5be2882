import { signalTree, snapshotTree, type KillOptions, type ProcessRef } from '../runtime/kill-tree.js';
import { checkLogFiles, type LogProblem } from '../runtime/log-health.js';
import { removePidFile, writePidFile } from '../runtime/pid-file.js';
import { isRunning, isSameProcess } from '../runtime/process-tree.js';
import { runMarkerOf } from '../runtime/run-marker.js';
import { runQueueWaitMs } from '../runtime/run-queue.js';
import { batchedRunKiller } from '../runtime/run-sweep.js';

/** The OS calls a ManagedProcess makes besides spawning, as one port: the real ones by default, fakes in tests. */
export interface ProcessOs {
  /** Sends `signal` to the process tree of `pid`, and to the `known` members that left it. */
  signalTree(pid: number, signal: NodeJS.Signals, options: KillOptions): void;
  /** The members of the tree of `pid` now, so they are found again once the main pid has exited. */
  snapshotTree(pid: number, options: KillOptions): ProcessRef[];
  isRunning(pid: number): boolean;
  /** Whether `pid` is still the process that started at `startTime` (not a recycled pid). */
  isSameProcess(pid: number, startTime: number): boolean;
  /** Calls `tick` every `ms` until the returned function is called, without keeping the daemon alive. */
  every(ms: number, tick: () => void): () => void;
  /** Writes an instance's pid file (`pid_file`); returns what went wrong, or null. */
  writePidFile(file: string, pid: number): string | null;
  /** Removes an instance's pid file if it still names `pid`. */
  removePidFile(file: string, pid: number): void;
  /** The run marker (TEND_RUN) of a live process, or null. */
  runMarkerOf(pid: number): string | null;
  /**
   * SIGKILLs what is left of one run of an instance once it has ended: processes that carry its home and run marker
   * although they left its process tree (a child that started a session of its own). In a later turn of the event
   * loop, in one walk of /proc with every other run that ended in this turn.
   */
  killRun(home: string, marker: string): void;
  /** Whether the disk of one of these log files is full now (the first such file's problem), or null. */
  fullLogDisk(files: readonly string[]): Promise<LogProblem | null>;
  /** Milliseconds a live process has waited for a CPU since it started, or null when unknown. */
  runQueueWaitMs(pid: number): number | null;
}

/** The real OS: /proc and kill(2). */
export const systemProcessOs: ProcessOs = {
  signalTree: (pid, signal, options) => {
    signalTree(pid, signal, options);
  },
  snapshotTree,
  isRunning,
  isSameProcess,
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  writePidFile,
  removePidFile,
  runMarkerOf,
  killRun: batchedRunKiller(),
  fullLogDisk: async (files) => {
    for (const problem of (await checkLogFiles(files, { eachFile: false })).values())
      if (problem?.code === 'ENOSPC') return problem;
    return null;
  },
  runQueueWaitMs,
};
