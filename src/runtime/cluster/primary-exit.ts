import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeLine } from '../../core/ndjson.js';
import { tryConnect } from '../unix-socket.js';
import { primarySocketPath, type PrimaryOp } from './protocol.js';

/** How long `tend kill` waits for one primary to close its socket after being told to exit. */
const PRIMARY_EXIT_WAIT_MS = 2000;

/**
 * Tells every cluster primary of the home to exit now (`tend kill`), instead of lingering 3 s after its last worker:
 * found by their sockets, so a primary a previous daemon started, or one of an app deleted a moment ago, goes too.
 * Resolves once each has closed its socket (it exits right after), or after a short wait; a primary that is already
 * gone costs nothing.
 */
export async function askPrimariesToExit(home: string): Promise<void> {
  const dir = join(primarySocketPath(home, ''), '..');
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.sock'));
  } catch {
    return;
  }
  await Promise.all(names.map((name) => askToExit(join(dir, name))));
}

async function askToExit(socketPath: string): Promise<void> {
  const socket = await tryConnect(socketPath);
  if (!socket) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, PRIMARY_EXIT_WAIT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    // Events the primary sends meanwhile are not this connection's business.
    socket.resume();
    const exit: PrimaryOp = { op: 'exit' };
    socket.write(encodeLine(exit));
  });
}
