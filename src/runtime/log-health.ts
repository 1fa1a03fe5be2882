import { accessSync, constants, statSync } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { defaults } from '../core/defaults.js';

/** Why a log file cannot take what its app writes, in words for `tend ls`/`show`. */
export interface LogProblem {
  file: string;
  /** ENOSPC for a full disk; otherwise the errno code the file or its folder gives (EACCES, EROFS, ENOTDIR, EISDIR…). */
  code: string;
  message: string;
  /** Whether the file itself is at fault, or its folder or disk (what a check with `eachFile: false` still sees). */
  scope: 'file' | 'folder';
}

// Devices (/dev/null, /dev/stdout…) are not files on a disk: nothing to check.
export const isDevice = (file: string): boolean => file.startsWith('/dev/');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Room left on a disk for a log line: root may use the blocks reserved for it. */
export function freeBytesOf(fs: { bfree: number; bavail: number; bsize: number }): number {
  return (isRoot ? fs.bfree : fs.bavail) * fs.bsize;
}

function problem(file: string, code: string, what: string, scope: LogProblem['scope'] = 'folder'): LogProblem {
  return { file, code, message: `${what} (${code})`, scope };
}

/** The nearest folder on the path that exists: where the file, or its missing folders, would be created. */
async function nearestExisting(dir: string): Promise<{ dir: string; isDir: boolean }> {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      return { dir: at, isDir: (await stat(at)).isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands where a folder should be; the walk up finds it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(at) === at) throw error;
    }
  }
}

/** What a check of the file itself found: a problem, none, or no file there yet (the folder then decides). */
export type FileVerdict = LogProblem | null | 'missing';

/** The file itself: a folder in its place, no permission to write it, or not there yet. */
export async function fileProblem(file: string): Promise<FileVerdict> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return problem(file, 'EISDIR', `${file} is a folder`, 'file');
    await access(file, constants.W_OK);
    return null;
  } catch (error) {
    return fileError(file, error);
  }
}

/**
 * The same, without a promise: a third of the cost (a stat and an access of 2,000 files: 20 ms of CPU against 80), but
 * it waits for the disk, so it is only for files on a disk the daemon waits for anyway (its home's).
 */
export function fileProblemSync(file: string): FileVerdict {
  try {
    if (statSync(file).isDirectory()) return problem(file, 'EISDIR', `${file} is a folder`, 'file');
    accessSync(file, constants.W_OK);
    return null;
  } catch (error) {
    return fileError(file, error);
  }
}

function fileError(file: string, error: unknown): FileVerdict {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  // Missing: whether it can be created is the folder's question.
  return code === 'ENOENT' || code === 'ENOTDIR'
    ? 'missing'
    : problem(file, code, `cannot write ${file}: ${describeCode(code)}`, 'file');
}

/** A log folder as a check found it: why nothing can be created in it, or the room on its disk and whether we may. */
export type FolderState = { code: string; what: string } | { free: number; creatable: string | null };

/** The folder a log file goes in (or the nearest one that exists): a folder we may create in, and the room on its disk. */
export async function folderState(dir: string): Promise<FolderState> {
  try {
    const existing = await nearestExisting(dir);
    if (!existing.isDir) return { code: 'ENOTDIR', what: `${existing.dir} is not a folder` };
    const fs = await statfs(existing.dir);
    // Only matters for a file that is not there yet: an existing one can be writable in a folder that is not.
    const creatable = await access(existing.dir, constants.W_OK).then(
      () => null,
      (error: NodeJS.ErrnoException) => error.code ?? 'EIO',
    );
    return { free: freeBytesOf(fs), creatable };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { code, what: describeCode(code) };
  }
}

function describeCode(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the disk';
    default:
      return code;
  }
}

/**
 * Checks each log file: can it be written (or created), and has its disk room left. A full disk is
 * what kills a direct-fd app's writes (ENOSPC), so it is reported before the app trips on it. Folders are
 * checked once each; `eachFile: false` skips the per-file checks (a stat and an access per file), which
 * the daemon's periodic check runs only now and then: with 100 apps they were most of its idle CPU.
 */
export async function checkLogFiles(
  files: Iterable<string>,
  options: { eachFile?: boolean } = {},
): Promise<Map<string, LogProblem | null>> {
  const eachFile = options.eachFile ?? true;
  const result = new Map<string, LogProblem | null>();
  const folders = new Map<string, ReturnType<typeof folderState>>();
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      if (isDevice(file)) {
        result.set(file, null);
        return;
      }
      const dir = path.dirname(file);
      if (!folders.has(dir)) folders.set(dir, folderState(dir));
      const [folder, own] = await Promise.all([folders.get(dir)!, eachFile ? fileProblem(file) : null]);
      result.set(file, logVerdict(file, folder, own));
    }),
  );
  return result;
}

/** A log file's problem from what was found of the file itself (null when it was not looked at) and of its folder. */
export function logVerdict(file: string, folder: FolderState, own: FileVerdict): LogProblem | null {
  if (isDevice(file)) return null;
  if (own !== null && own !== 'missing') return own;
  if ('code' in folder) return problem(file, folder.code, `cannot create ${file}: ${folder.what}`);
  if (own === 'missing' && folder.creatable !== null)
    return problem(file, folder.creatable, `cannot create ${file}: ${describeCode(folder.creatable)}`);
  if (folder.free < defaults.logDiskMinFreeBytes) {
    const dir = path.dirname(file);
    return problem(file, 'ENOSPC', `no space left on the disk of ${dir}: ${Math.floor(folder.free / 1024)} KiB free`);
  }
  return null;
}

/** For a launch: does any of an instance's log files have a problem, so its output should go through a writer. */
export async function logsInTrouble(logs: { out: string | null; err: string | null }): Promise<boolean> {
  const files = [logs.out, logs.err].filter((f): f is string => f !== null);
  if (files.length === 0) return false;
  for (const problem of (await checkLogFiles(files)).values()) if (problem) return true;
  return false;
}
