import { chmodSync, mkdirSync } from 'node:fs';
import type { TendPaths } from '../core/home.js';
import { tryConnect } from '../runtime/unix-socket.js';

/**
 * Makes the home as every daemon makes it (private to this user, with its logs folder) and tells whether another
 * daemon already answers on its socket: two would fight over the same apps. Shared by the background daemon
 * (daemon/main.ts) and `tend-runtime` (container/main.ts).
 */
export async function claimHome(paths: TendPaths): Promise<'free' | 'taken'> {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  chmodSync(paths.home, 0o700);
  mkdirSync(paths.logsDir, { recursive: true, mode: 0o700 });
  const other = await tryConnect(paths.socket);
  if (!other) return 'free';
  other.destroy();
  return 'taken';
}
