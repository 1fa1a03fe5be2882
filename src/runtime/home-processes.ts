import { readdirSync, readFileSync } from 'node:fs';
import { WRITER_CONFIG_VAR } from '../logs/writer-config.js';
import { environOf, valueIn } from './proc-environ.js';
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
    const vars = environOf(Number(entry));
    if (!vars?.includes(mark)) continue;
    const app = valueIn(vars, 'TEND_APP_NAME');
    const id = Number(valueIn(vars, 'TEND_ID'));
    // The daemon, log writers and cluster primaries carry the home too, but no app identity.
    if (app !== undefined && Number.isInteger(id)) found.push({ pid: Number(entry), app, id });
  }
  // Children an app started inherit its environment: only the app's own process is named.
  const pids = new Set(found.map((p) => p.pid));
  const table = listProcesses();
  return found.filter((p) => !pids.has(table.get(p.pid)?.ppid ?? 0));
}

/** A process tend started for a home, of any kind, with what it is for people. */
export interface TendProcess {
  pid: number;
  /** `daemon`, `cluster primary of api`, `log writer of api[0]`, `api (id 3)`. */
  what: string;
}

/**
 * Every live process tend started for this home: the daemon, apps (and the children they started, which carry their
 * environment), cluster primaries and log writers. `tend kill` waits until none is left. A process that only carries
 * TEND_HOME (a program run from a shell that exported it) is not tend's and is not counted; nor are `exclude` and
 * this process's own ancestors (a `tend kill` run from inside an app).
 */
export function tendProcessesOfHome(home: string, exclude: readonly number[] = []): TendProcess[] {
  const table = listProcesses();
  const skip = new Set(exclude);
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !skip.has(pid); ) {
    skip.add(pid);
    pid = table.get(pid)?.ppid;
  }
  const mark = `TEND_HOME=${home}`;
  const found: TendProcess[] = [];
  for (const pid of table.keys()) {
    if (skip.has(pid)) continue;
    const vars = environOf(pid);
    if (!vars?.includes(mark)) continue;
    let args: string;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const what = describeTendProcess((name) => valueIn(vars, name), args.split('\0'));
    if (what) found.push({ pid, what });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

function describeTendProcess(value: (name: string) => string | undefined, argv: string[]): string | null {
  const app = value('TEND_APP_NAME');
  if (value('TEND_PRIMARY_SOCKET') !== undefined) return `cluster primary of ${app ?? '?'}`;
  const writer = value(WRITER_CONFIG_VAR);
  if (writer !== undefined) {
    try {
      const config = JSON.parse(writer) as { app?: unknown; instance?: unknown };
      return `log writer of ${String(config.app)}[${String(config.instance)}]`;
    } catch {
      return 'log writer';
    }
  }
  const id = value('TEND_ID');
  if (app !== undefined && id !== undefined) return `${app} (id ${id})`;
  if (argv.some((arg) => arg.endsWith('daemon.cjs'))) return 'daemon';
  return null;
}
