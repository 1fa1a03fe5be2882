import type { DesiredState } from '../config/types.js';
import { stdinFifoPath } from '../runtime/stdin-fifo.js';

/**
 * The stdin FIFOs (runtime/stdin-fifo.ts) the first apply of a run will open, so that they are made with the console's
 * FIFOs, by the one `mkfifo` run tend-runtime starts while the daemon is set up, and not by a second one on the way to
 * the first spawn. The registry of a run starts empty, so the apply numbers its instances 0, 1, … in the order it
 * starts them: whatever that order, the ids are those below the number of instances. A cluster app's instances take ids
 * too, but have no stdin FIFO; with no fork-mode app at all there is none to make.
 */
export function firstApplyStdinFifos(desired: DesiredState, home: string): string[] {
  if (desired.apps.every((app) => app.run.execMode === 'cluster')) return [];
  const instances = desired.apps.reduce((sum, app) => sum + app.instances, 0);
  return Array.from({ length: instances }, (_, id) => stdinFifoPath(home, id));
}
