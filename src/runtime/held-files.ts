import { statSync } from 'node:fs';

/**
 * The log files a process no longer writes at their path: its stdout (fd 1) or stderr (fd 2) is open on another file
 * than the one the path names now, or the path names nothing (a logrotate moved or deleted the file). A process's
 * open files are its own: no other process can make it write to a new file at that path; only a restart does.
 */
export function movedLogFiles(pid: number, files: { out: string | null; err: string | null }): string[] {
  const moved: string[] = [];
  for (const [fd, file] of [
    [1, files.out],
    [2, files.err],
  ] as const) {
    if (file === null || file.startsWith('/dev/')) continue;
    let held: { dev: number; ino: number };
    try {
      held = statSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // Gone, or not ours to look at: nothing to say.
    }
    try {
      const now = statSync(file);
      if (now.ino === held.ino && now.dev === held.dev) continue;
    } catch {
      // The path names nothing now.
    }
    if (!moved.includes(file)) moved.push(file);
  }
  return moved;
}
