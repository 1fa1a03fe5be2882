import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `pid` to an instance's pid file (PM2's `pid_file`), making its folder. A file that cannot be written costs
 * the app nothing: the failure is returned for the daemon's log.
 */
export function writePidFile(file: string, pid: number): string | null {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${pid}\n`);
    return null;
  } catch (error) {
    return `cannot write the pid file ${file}: ${(error as Error).message}`;
  }
}

/**
 * Removes an instance's pid file once its process `pid` is gone, unless the file names another pid by then: in a
 * rolling reload the new worker writes the same file before the old one exits.
 */
export function removePidFile(file: string, pid: number): void {
  try {
    if (Number(readFileSync(file, 'utf8').trim()) !== pid) return;
    unlinkSync(file);
  } catch {
    // Already gone, or never written.
  }
}
