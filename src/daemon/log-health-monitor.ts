import { defaults } from '../core/defaults.js';
import { checkLogFiles, type LogProblem } from '../runtime/log-health.js';
import type { ManagedProcess } from './managed-process.js';

/** What the monitor needs of a process: where its logs go, whether it runs, and a place for the verdict. */
type Watched = Pick<ManagedProcess, 'logPaths' | 'pid' | 'logProblem'>;

/**
 * Checks, every few seconds, that each running process's log files can be written and their disk has room,
 * so `tend ls`/`show` and the dashboards say so before (or while) the app's lines are lost.
 */
export class LogHealthMonitor<P extends Watched> {
  private running: Promise<void> | null = null;
  private last = -Infinity;
  private checks = 0;

  constructor(
    private readonly processes: () => readonly P[],
    private readonly changed: (p: P) => void,
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
    const verdicts = await checkLogFiles(files, { eachFile });
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
}

function sameProblem(a: LogProblem | null, b: LogProblem | null): boolean {
  return a === b || (a !== null && b !== null && a.file === b.file && a.code === b.code);
}
