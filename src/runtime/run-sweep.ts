import { processesOfRuns } from './run-marker.js';

/** What a sweep needs from the OS: finding the processes of runs (a walk of /proc), killing one, and a later turn. */
export interface RunSweepPorts {
  find(home: string, markers: ReadonlySet<string>): number[];
  kill(pid: number): void;
  defer(sweep: () => void): void;
}

const systemPorts: RunSweepPorts = {
  find: processesOfRuns,
  kill: (pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  },
  defer: (sweep) => void setImmediate(sweep),
};

/**
 * `killRun(home, marker)` for the daemon: SIGKILLs what is left of ended runs, with one walk of /proc for all the runs
 * that ended in the same turn of the event loop. A walk reads every process's environment on the machine; one walk per
 * ended run made `tend kill` and `restart all` of 1,000 apps quadratic (16 s of the daemon's CPU for 300 apps). Runs
 * that end while a sweep walks are swept together in the next turn, so the walks never outnumber the turns.
 */
export function batchedRunKiller(ports: RunSweepPorts = systemPorts): (home: string, marker: string) => void {
  let pending: Map<string, Set<string>> | null = null;
  const sweep = (): void => {
    const runs = pending ?? new Map<string, Set<string>>();
    pending = null;
    for (const [home, markers] of runs) for (const pid of ports.find(home, markers)) ports.kill(pid);
  };
  return (home, marker) => {
    if (pending === null) {
      pending = new Map();
      ports.defer(sweep);
    }
    const markers = pending.get(home) ?? new Set<string>();
    markers.add(marker);
    pending.set(home, markers);
  };
}
