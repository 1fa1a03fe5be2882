import { join } from 'node:path';
import type { AppSpec, DesiredState } from '../config/types.js';
import { logPathsFor } from '../runtime/log-paths.js';

/** One FIFO tend-runtime reads: the stream of one instance (or of every instance, when the app's logs are merged). */
export interface ConsoleStream {
  fifo: string;
  app: string;
  /** The instance whose lines come through it; null when several instances share it. */
  instance: number | null;
  stream: 'out' | 'err';
}

/** Where the FIFOs live: a folder of the home, so `tend show` names them and a second runtime never shares them. */
export function consoleDir(home: string): string {
  return join(home, 'console');
}

/**
 * The file's apps as tend-runtime runs them: each stream the file gives no file for (no `out_file`, `error_file`)
 * goes to a FIFO tend-runtime reads and prints, instead of `<home>/logs`; a stream the file names keeps its file, and
 * `disable_logs` keeps its silence. Instances get a FIFO each (so each line says which one wrote it) unless a file
 * the user named is shared by the instances, whose naming must not change.
 */
export function routeToConsole(
  desired: DesiredState,
  home: string,
): { desired: DesiredState; streams: ConsoleStream[] } {
  const streams: ConsoleStream[] = [];
  const apps = desired.apps.map((spec) => {
    const routed = routeApp(spec, home);
    const seen = new Set<string>();
    for (let i = 0; i < routed.instances; i++) {
      const paths = logPathsFor(routed, i);
      for (const stream of ['out', 'err'] as const) {
        const file = paths[stream];
        if (file === null || !file.startsWith(consoleDir(home)) || seen.has(file)) continue;
        seen.add(file);
        streams.push({ fifo: file, app: spec.name, instance: routed.logs.merge ? null : i, stream });
      }
    }
    return routed;
  });
  return { desired: { ...desired, apps }, streams };
}

function routeApp(spec: AppSpec, home: string): AppSpec {
  const defaults = { out: join(home, 'logs', `${spec.name}-out.log`), err: join(home, 'logs', `${spec.name}-err.log`) };
  const out = spec.logs.out === defaults.out ? join(consoleDir(home), `${spec.name}-out.fifo`) : spec.logs.out;
  const err = spec.logs.err === defaults.err ? join(consoleDir(home), `${spec.name}-err.fifo`) : spec.logs.err;
  if (out === spec.logs.out && err === spec.logs.err) return spec;
  // A file named by the user keeps the naming it has (merged: one file for all instances).
  const userFile = (out !== null && out === spec.logs.out) || (err !== null && err === spec.logs.err);
  const merge = userFile || spec.logs.combined !== undefined ? spec.logs.merge : false;
  return { ...spec, logs: { ...spec.logs, out, err, merge } };
}
