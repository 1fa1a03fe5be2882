import { resolve } from 'node:path';
import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import type { ListenAddress } from './types.js';

/** What one entry of `listen` may be, for messages. */
const EXPECTED = 'a port (8080), "host:port" ("127.0.0.1:8080", "[::1]:8080") or a unix socket path ("./api.sock")';

/** The kernel's limit on a unix socket's path (sun_path is 108 bytes with its NUL). */
const UNIX_PATH_MAX = 107;

/** The reading of one entry, or why it is not one. */
export type ListenEntry = { address: ListenAddress } | { problem: string };

function portFrom(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * Reads one entry of `listen`: a number or digits are a port on every interface; `host:port` and `[v6]:port` a port on
 * one address; a text with a `/` (or `unix:` in front) a unix socket, relative to the app's cwd.
 */
export function parseListenEntry(value: unknown, cwd: string): ListenEntry {
  const got = `got ${JSON.stringify(value)}`;
  if (typeof value === 'number') {
    const port = portFrom(String(value));
    return port === undefined ? { problem: `expected a port from 1 to 65535; ${got}` } : { address: { port } };
  }
  if (typeof value !== 'string') return { problem: `expected ${EXPECTED}; ${got}` };
  const text = value.trim();
  const port = portFrom(text);
  if (port !== undefined) return { address: { port } };
  if (text.startsWith('unix:') || text.includes('/')) {
    const path = resolve(cwd, text.replace(/^unix:/, ''));
    if (Buffer.byteLength(path) > UNIX_PATH_MAX)
      return { problem: `the unix socket path ${path} is longer than ${UNIX_PATH_MAX} bytes, the kernel's limit` };
    return { address: { path } };
  }
  const hostPort = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d+)$/.exec(text);
  const hostPortNumber = hostPort ? portFrom(hostPort[3]!) : undefined;
  if (!hostPort || hostPortNumber === undefined) return { problem: `expected ${EXPECTED}; ${got}` };
  const host = hostPort[1] ?? hostPort[2]!;
  // `*:8080` means every interface, as a bare port does.
  return { address: host === '*' ? { port: hostPortNumber } : { port: hostPortNumber, host } };
}

/** An address as the file writes it (`tend init --from-running`): a bare port, `host:port`, `[v6]:port`, or the path. */
export function formatListenAddress(address: ListenAddress): number | string {
  if ('path' in address) return address.path;
  if (address.host === undefined) return address.port;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The same socket written twice (`8080` and `"*:8080"`, or one path two ways) would be bound twice. */
export function listenKey(address: ListenAddress): string {
  return 'path' in address ? `unix:${address.path}` : `${address.host ?? '*'}:${address.port}`;
}

/**
 * `listen`: one entry or a list, read into addresses. Problems go to the report at the entry; `cluster` refuses the key
 * (a cluster app's primary already shares its port between the workers). Undefined when absent or wrong.
 */
export function listenOf(
  value: unknown,
  cwd: string,
  execMode: 'fork' | 'cluster',
  at: PathSegment[],
  report: Report,
): ListenAddress[] | undefined {
  if (value === undefined) return undefined;
  if (execMode === 'cluster') {
    report.problem(
      at,
      '`listen` is for fork-mode apps; a cluster app shares its port through its primary already (remove `listen`, or set exec_mode: fork)',
      'key',
    );
    return undefined;
  }
  const entries = Array.isArray(value) ? value : [value];
  const addresses: ListenAddress[] = [];
  const seen = new Set<string>();
  let failed = false;
  for (const [index, entry] of entries.entries()) {
    const where = Array.isArray(value) ? [...at, index] : at;
    const read = parseListenEntry(entry, cwd);
    if ('problem' in read) {
      report.problem(where, read.problem);
      failed = true;
      continue;
    }
    const key = listenKey(read.address);
    if (seen.has(key)) {
      report.problem(where, `${JSON.stringify(entry)} names a socket already in this list`);
      failed = true;
    }
    seen.add(key);
    addresses.push(read.address);
  }
  return failed || addresses.length === 0 ? undefined : addresses;
}
