import { readlinkSync } from 'node:fs';

/** One of a process's output streams that still points at a log file someone deleted. */
export interface DeletedLog {
  /** 1 for stdout, 2 for stderr. */
  fd: 1 | 2;
  /** The path the file had, where a new one belongs. */
  file: string;
}

// Linux names an open file whose last link is gone "<path> (deleted)" in /proc/<pid>/fd.
const DELETED = ' (deleted)';

/**
 * Which of `files` the process `pid` writes as its stdout or stderr although they were deleted: lines it writes there
 * are lost. Empty where /proc cannot tell (another OS, the process gone, a pipe to a log writer). Synchronous: a link
 * in /proc is read from the kernel's own tables, never from the log file's disk, and a promise per fd of 1,000 apps
 * cost the idle daemon more than the reads.
 */
export function deletedLogsOf(pid: number, files: { out: string | null; err: string | null }): DeletedLog[] {
  const found: DeletedLog[] = [];
  for (const [fd, file] of [
    [1, files.out],
    [2, files.err],
  ] as const) {
    if (file === null) continue;
    if (readLink(`/proc/${pid}/fd/${fd}`) === `${file}${DELETED}`) found.push({ fd, file });
  }
  return found;
}

function readLink(link: string): string | null {
  try {
    return readlinkSync(link);
  } catch {
    // The process is gone, or the fd is closed.
    return null;
  }
}
