import { readdirSync, readFileSync } from 'node:fs';
import { listProcesses } from './process-tree.js';

/** A running app instance of a home, as its environment names it (TEND_APP_NAME, TEND_ID). */
export interface HomeProcess {
  pid: number;
  app: string;
  id: number;
}

/**
 * Every live app process started for this home, found by its environment. Only used after a damaged
 * state file, to name the processes that still run but that no state names any more: costly (one read per
 * process on the machine), so never on a normal start.
 */
export function appProcessesOfHome(home: string): HomeProcess[] {
  const found: HomeProcess[] = [];
  const mark = `TEND_HOME=${home}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let vars: string[];
    try {
      vars = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!vars.includes(mark)) continue;
    const value = (name: string): string | undefined =>
      vars.find((v) => v.startsWith(`${name}=`))?.slice(name.length + 1);
    const app = value('TEND_APP_NAME');
    const id = Number(value('TEND_ID'));
    // The daemon, log writers and cluster primaries carry the home too, but no app identity.
    if (app !== undefined && Number.isInteger(id)) found.push({ pid: Number(entry), app, id });
  }
  // Children an app started inherit its environment: only the app's own process is named.
  const pids = new Set(found.map((p) => p.pid));
  const table = listProcesses();
  return found.filter((p) => !pids.has(table.get(p.pid)?.ppid ?? 0));
}
