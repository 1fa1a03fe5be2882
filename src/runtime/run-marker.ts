import { readdirSync } from 'node:fs';
import { environOf, valueIn } from './proc-environ.js';

/**
 * The variable that marks every process of one run of one instance: the app's own process and everything it starts,
 * which inherits its environment. A child that starts a session of its own (`detached: true`, setsid, a daemonising
 * program) leaves the app's process group, and once the app has exited it is no longer anyone's descendant either: its
 * environment is then the only thing that still says whose it is.
 */
export const RUN_MARKER_VAR = 'TEND_RUN';

let runs = 0;

/**
 * A marker no other run of this home shares: the instance's id, the pid of the daemon that spawned it and a counter
 * (a rolling reload runs two processes with the same id side by side; each has its own marker).
 */
export function newRunMarker(id: number): string {
  runs += 1;
  return `${id}.${process.pid}.${runs}`;
}

/** The run marker in a live process's environment, or null (gone, another user's, or started before markers). */
export function runMarkerOf(pid: number): string | null {
  const vars = environOf(pid);
  return (vars && valueIn(vars, RUN_MARKER_VAR)) ?? null;
}

/**
 * The live processes of ended runs of a home's instances, found by their environment in one walk of /proc: one read
 * per process on the machine, so it is done once runs have ended (what is left of them is to be killed), never on a
 * timer; and for all the runs that ended in one turn together (`run-sweep.ts`): a `tend kill` of 1,000 apps ends 1,000
 * runs at once, and a walk for each made it quadratic.
 */
export function processesOfRuns(home: string, markers: ReadonlySet<string>): number[] {
  const homeVar = `TEND_HOME=${home}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57 || entry.charCodeAt(0) < 48) continue;
    const vars = environOf(Number(entry));
    if (!vars?.includes(homeVar)) continue;
    const marker = valueIn(vars, RUN_MARKER_VAR);
    if (marker !== undefined && markers.has(marker)) found.push(Number(entry));
  }
  return found;
}
