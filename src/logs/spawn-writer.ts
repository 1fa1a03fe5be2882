import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { WRITER_CONFIG_VAR, type WriterConfig } from './writer-config.js';

/** Where the launcher finds the writer's entry point and the home it belongs to. */
export interface WriterLaunch {
  /** dist/log-writer.js. */
  entry: string;
  home: string;
}

/**
 * Hands a just-spawned child's stdout and stderr pipes to a new detached log writer and closes the
 * launcher's copies. It must run in the same tick as the child's spawn: the launcher's end of a pipe
 * starts reading once the event loop turns, and a byte read there would be a byte missing from the log.
 */
export function handOverToWriter(
  child: Pick<ChildProcess, 'stdout' | 'stderr'>,
  config: WriterConfig,
  launch: WriterLaunch,
): number | null {
  const pipes: Array<Readable | null> = [child.stdout, child.stderr];
  try {
    const writer = spawn(process.execPath, [launch.entry], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', pipes[0] ?? 'ignore', pipes[1] ?? 'ignore'],
      // TEND_HOME marks the writer as belonging to this home (tests and `tend kill` find processes by it).
      env: { TEND_HOME: launch.home, [WRITER_CONFIG_VAR]: JSON.stringify(config), PATH: process.env.PATH ?? '' },
    });
    // The writer's failure to start shows as the app's EPIPE; it must not become an unhandled 'error' here.
    writer.on('error', () => undefined);
    writer.unref();
    return writer.pid ?? null;
  } finally {
    for (const pipe of pipes) pipe?.destroy();
  }
}
