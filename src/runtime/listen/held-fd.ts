import { resolve } from 'node:path';
import type { ListenAddress } from '../../config/types.js';

/** The first fd of the held sockets (systemd's SD_LISTEN_FDS_START). */
export const FIRST_HELD_FD = 3;

type Wanted = { port: number; host?: string } | { path: string };

function portOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value) || undefined;
  return undefined;
}

/** What a `server.listen(...)` call asks for, in any of Node's forms; undefined for a handle, an fd or port 0. */
export function wantedBy(args: readonly unknown[], cwd: string): Wanted | undefined {
  const [first, second] = args;
  if (first !== null && typeof first === 'object') {
    const options = first as { port?: unknown; host?: unknown; path?: unknown };
    if (typeof options.path === 'string') return { path: resolve(cwd, options.path) };
    const port = portOf(options.port);
    if (port === undefined) return undefined;
    return typeof options.host === 'string' ? { port, host: options.host } : { port };
  }
  const port = portOf(first);
  if (port !== undefined) return typeof second === 'string' ? { port, host: second } : { port };
  if (typeof first === 'string') return { path: resolve(cwd, first) };
  return undefined;
}

/**
 * The fd of the held socket a `listen(...)` call means, or undefined to let it listen as it asked. A port matches the
 * held socket of that port (the one on the same host first: `listen` in the file says where); a path matches its path.
 */
export function heldFdFor(args: readonly unknown[], held: readonly ListenAddress[], cwd: string): number | undefined {
  const wanted = wantedBy(args, cwd);
  if (wanted === undefined) return undefined;
  const fdAt = (index: number): number | undefined => (index < 0 ? undefined : FIRST_HELD_FD + index);
  if ('path' in wanted) return fdAt(held.findIndex((a) => 'path' in a && a.path === wanted.path));
  const samePort = (a: ListenAddress): boolean => 'port' in a && a.port === wanted.port;
  const sameHost = held.findIndex((a) => samePort(a) && 'port' in a && a.host === wanted.host);
  return fdAt(sameHost >= 0 ? sameHost : held.findIndex(samePort));
}
