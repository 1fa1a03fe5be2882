import { readlink } from 'node:fs/promises';

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
 * are lost. Empty where /proc cannot tell (another OS, the process gone, a pipe to a log writer).
 */
export async function deletedLogsOf(
  pid: number,
  files: { out: string | null; err: string | null },
): Promise<DeletedLog[]> {
  const found: DeletedLog[] = [];
  for (const [fd, file] of [
    [1, files.out],
    [2, files.err],
  ] as const) {
    if (file === null) continue;
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => null);
    if (target === `${file}${DELETED}`) found.push({ fd, file });
  }
  return found;
}
