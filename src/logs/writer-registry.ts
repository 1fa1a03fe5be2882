import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `tend reloadLogs` needs to know of a running log writer. */
export interface WriterRecord {
  pid: number;
  app: string;
  instance: number;
  files: string[];
}

const dirOf = (home: string): string => join(home, 'log-writers');

/** Writers list themselves in the home, so a daemon started after them (or none at all) can still find them. */
export function registerWriter(home: string, record: WriterRecord): string {
  const file = join(dirOf(home), `${record.pid}.json`);
  // Written aside then renamed, so a reader never sees half an entry.
  try {
    mkdirSync(dirOf(home), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(record));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A full disk: this writer cannot be listed (reloadLogs will not find it), but it writes the app's lines all the same.
    rmSync(`${file}.tmp`, { force: true });
  }
  return file;
}

/** Removes a writer's entry when it exits. */
export function unregisterWriter(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

// A pid is a writer of ours only while /proc says it runs the writer entry point: pids are recycled.
function isWriter(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('log-writer');
  } catch {
    return false;
  }
}

/** The writers alive now; entries of dead ones (killed with SIGKILL) are removed on the way. */
export function liveWriters(home: string): WriterRecord[] {
  let names: string[];
  try {
    names = readdirSync(dirOf(home));
  } catch {
    return [];
  }
  const live: WriterRecord[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(dirOf(home), name);
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as WriterRecord;
      if (isWriter(record.pid)) live.push(record);
      else unregisterWriter(file);
    } catch {
      // Removed by its writer meanwhile.
    }
  }
  return live;
}

/** Asks every live writer to reopen its files (SIGUSR2), after an external logrotate moved them. */
export function signalWritersToReopen(home: string): WriterRecord[] {
  const signalled: WriterRecord[] = [];
  for (const record of liveWriters(home)) {
    try {
      process.kill(record.pid, 'SIGUSR2');
      signalled.push(record);
    } catch {
      // Exited between the check and the signal.
    }
  }
  return signalled;
}
