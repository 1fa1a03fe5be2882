import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { defaults } from '../core/defaults.js';

/** Why a log file cannot take what its app writes, in words for `tend ls`/`show`. */
export interface LogProblem {
  file: string;
  /** ENOSPC for a full disk; otherwise the errno code the file or its folder gives (EACCES, EROFS, ENOTDIR, EISDIR…). */
  code: string;
  message: string;
}

// Devices (/dev/null, /dev/stdout…) are not files on a disk: nothing to check.
const isDevice = (file: string): boolean => file.startsWith('/dev/');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function problem(file: string, code: string, what: string): LogProblem {
  return { file, code, message: `${what} (${code})` };
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

async function writable(file: string): Promise<LogProblem | null> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return problem(file, 'EISDIR', `${file} is a folder`);
    await access(file, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return problem(file, code, `cannot write ${file}: ${describeCode(code)}`);
  }
  // Not there yet: the nearest existing folder must be a folder we may create in.
  try {
    const { dir, isDir } = await nearestExisting(path.dirname(file));
    if (!isDir) return problem(file, 'ENOTDIR', `cannot create ${file}: ${dir} is not a folder`);
    await access(dir, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return problem(file, code, `cannot create ${file}: ${describeCode(code)}`);
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

/** Free bytes of the disk holding `dir` for this process: root may use the blocks reserved for it, others may not. */
async function freeBytes(dir: string): Promise<number | null> {
  try {
    const { dir: existing } = await nearestExisting(dir);
    const fs = await statfs(existing);
    return (isRoot ? fs.bfree : fs.bavail) * fs.bsize;
  } catch {
    return null;
  }
}

/**
 * Checks each log file: can it be written (or created), and has its disk room left. A full disk is
 * what kills a direct-fd app's writes (ENOSPC), so it is reported before the app trips on it.
 */
export async function checkLogFiles(files: Iterable<string>): Promise<Map<string, LogProblem | null>> {
  const result = new Map<string, LogProblem | null>();
  const free = new Map<string, Promise<number | null>>();
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      if (isDevice(file)) {
        result.set(file, null);
        return;
      }
      const dir = path.dirname(file);
      if (!free.has(dir)) free.set(dir, freeBytes(dir));
      const [room, access] = await Promise.all([free.get(dir)!, writable(file)]);
      if (access) {
        result.set(file, access);
      } else if (room !== null && room < defaults.logDiskMinFreeBytes) {
        result.set(file, problem(file, 'ENOSPC', `no space left on the disk of ${dir}: ${Math.floor(room / 1024)} KiB free`));
      } else {
        result.set(file, null);
      }
    }),
  );
  return result;
}

/** For a launch: does any of an instance's log files have a problem, so its output should go through a writer. */
export async function logsInTrouble(logs: { out: string | null; err: string | null }): Promise<boolean> {
  const files = [logs.out, logs.err].filter((f): f is string => f !== null);
  if (files.length === 0) return false;
  for (const problem of (await checkLogFiles(files)).values()) if (problem) return true;
  return false;
}

/** One file, for a launch: is the direct path safe, or should its lines go through a writer that survives the trouble. */
export async function checkLogFile(file: string): Promise<LogProblem | null> {
  return (await checkLogFiles([file])).get(file) ?? null;
}
