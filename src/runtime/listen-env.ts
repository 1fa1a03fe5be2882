import type { ListenAddress } from '../config/types.js';

/** The variable tend's Node preload reads the held sockets' addresses from (JSON, in fd order from 3). */
export const TEND_LISTEN_VAR = 'TEND_LISTEN';

/**
 * The name of a held socket in LISTEN_FDNAMES: systemd's names may hold any printable character but `:`, so
 * `127.0.0.1:8080` is `127.0.0.1-8080`, a bare port is its digits, and a unix socket is its path.
 */
export function fdName(address: ListenAddress): string {
  if ('path' in address) return address.path.replaceAll(':', '-');
  return address.host === undefined ? String(address.port) : `${address.host.replaceAll(':', '.')}-${address.port}`;
}

/**
 * systemd's socket-activation variables for an instance given `listen`'s sockets as fds 3, 4, …; LISTEN_PID is set by
 * the shell line that execs the app (`withListenPid`), the one place the app's own pid is known before it runs.
 */
export function listenEnv(addresses: readonly ListenAddress[]): Record<string, string> {
  return {
    LISTEN_FDS: String(addresses.length),
    LISTEN_FDNAMES: addresses.map(fdName).join(':'),
    [TEND_LISTEN_VAR]: JSON.stringify(addresses),
  };
}

/**
 * sd_listen_fds() uses the sockets only when LISTEN_PID is the caller's own pid (so a child of the app does not take
 * them too). The daemon learns the pid only after the spawn, so the app is started through `sh`, which sets it to its
 * own pid and then execs the app in its place: same pid, same fds, one exec more.
 */
export function withListenPid(file: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"', file, ...args] };
}
