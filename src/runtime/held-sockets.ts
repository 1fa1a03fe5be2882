import { spawn } from 'node:child_process';
import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { ListenAddress } from '../config/types.js';
import { TendError } from '../core/errors.js';

/** A bound socket handle of Node's own (tcp_wrap, pipe_wrap): its fd, and close. */
interface RawHandle {
  readonly fd: number;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: { port?: number }): number;
  close(): void;
}
type RawPipe = { readonly fd: number; bind(path: string): number; close(): void };

interface Bindings {
  TCP: new (kind: number) => RawHandle;
  tcpServer: number;
  Pipe: new (kind: number) => RawPipe;
  pipeServer: number;
}

// net.Server would accept connections in the daemon itself (libuv polls every socket it listens on), taking requests
// meant for the app. A handle that is only bound is never polled; the listen(2) is done by a short helper instead.
function bindings(): Bindings {
  const legacy = process as unknown as { binding(name: string): Record<string, unknown> };
  const tcp = legacy.binding('tcp_wrap') as { TCP: Bindings['TCP']; constants: { SERVER: number } };
  const pipe = legacy.binding('pipe_wrap') as { Pipe: Bindings['Pipe']; constants: { SERVER: number } };
  return { TCP: tcp.TCP, tcpServer: tcp.constants.SERVER, Pipe: pipe.Pipe, pipeServer: pipe.constants.SERVER };
}

/** How many connections may wait in a held socket's queue while no instance accepts (Node's own default). */
const BACKLOG = 511;

/** One socket of an app's `listen`, bound and listening, held open by the daemon for as long as the app wants it. */
export interface HeldSocket {
  readonly fd: number;
  close(): void;
}

function describe(address: ListenAddress): string {
  if ('path' in address) return address.path;
  return address.host === undefined ? `port ${address.port}` : `${address.host}:${address.port}`;
}

/** A failed bind, as an error carrying the errno's name in `code` (EADDRINUSE: another process listens there). */
function bindError(address: ListenAddress, code: number): NodeJS.ErrnoException {
  const name = getSystemErrorName(code);
  const why = name === 'EADDRINUSE' ? 'the address is already in use (EADDRINUSE)' : name;
  return Object.assign(new Error(`${describe(address)}: ${why}`), { code: name });
}

/** Whether holdSockets failed because the address is taken (by an instance still stopping, or another program). */
export function isAddressInUse(error: unknown): boolean {
  return ((error as { cause?: NodeJS.ErrnoException })?.cause?.code ?? '') === 'EADDRINUSE';
}

/** A unix socket file no process listens on (left by a crash) is in the way of a new bind; a live one is not touched. */
async function removeStaleSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => null);
  if (!stat?.isSocket()) return;
  const alive = await new Promise<boolean>((done) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      done(true);
    });
    probe.once('error', () => done(false));
  });
  if (!alive) await unlink(path).catch(() => undefined);
}

function bindOne(raw: Bindings, address: ListenAddress): RawHandle | RawPipe {
  if ('path' in address) {
    const pipe = new raw.Pipe(raw.pipeServer);
    const code = pipe.bind(address.path);
    if (code === 0) return pipe;
    pipe.close();
    throw bindError(address, code);
  }
  const host = address.host ?? '::';
  // Every interface is `::` with IPv6 on (v4 too, dual stack), as Node's own listen(port) does; `0.0.0.0` without it.
  let tcp = bindTcp(raw, host, address.port);
  if (typeof tcp === 'number' && address.host === undefined && tcp !== UV_EADDRINUSE)
    tcp = bindTcp(raw, '0.0.0.0', address.port);
  if (typeof tcp !== 'number') return tcp;
  throw bindError(address, tcp);
}

/** libuv's EADDRINUSE: the errno, negative, as every code its handles return. */
const UV_EADDRINUSE = -constants.errno.EADDRINUSE;

/**
 * A TCP handle bound to host:port, or the error code. libuv does not report EADDRINUSE at bind (it keeps it for the
 * listen, which would then bind an unbound socket to a random port): the bound port is read back to be sure.
 */
function bindTcp(raw: Bindings, host: string, port: number): RawHandle | number {
  const tcp = new raw.TCP(raw.tcpServer);
  let code = host.includes(':') ? tcp.bind6(host, port, 0) : tcp.bind(host, port);
  const bound: { port?: number } = {};
  if (code === 0 && (tcp.getsockname(bound) !== 0 || bound.port !== port)) code = UV_EADDRINUSE;
  if (code === 0) return tcp;
  tcp.close();
  return code;
}

// listen(2) on each bound socket, in a child that inherits them and exits: the listening state belongs to the socket,
// so it stays once the helper is gone, and connections queue until an instance accepts them.
const LISTEN_HELPER = `const net = require('node:net');
const count = Number(process.argv[1]);
let left = count;
for (let i = 0; i < count; i++) {
  const server = net.createServer();
  server.once('error', (e) => { process.stderr.write(String(e.message)); process.exit(1); });
  server.listen({ fd: 3 + i, backlog: ${BACKLOG} }, () => { if (--left === 0) process.exit(0); });
}`;

function listenAll(fds: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LISTEN_HELPER, String(fds.length)], {
      stdio: ['ignore', 'ignore', 'pipe', ...fds],
    });
    let said = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (said += text));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(said.trim() || `exit code ${code}`))));
  });
}

/**
 * Binds sockets of an app's `listen` and makes them listen, for the daemon to hold and hand to each instance, in the
 * order given. Nothing is left bound when one of them fails.
 */
export async function holdSockets(app: string, addresses: readonly ListenAddress[]): Promise<HeldSocket[]> {
  const raw = bindings();
  const handles: (RawHandle | RawPipe)[] = [];
  try {
    for (const address of addresses) {
      if ('path' in address) await removeStaleSocket(address.path);
      handles.push(bindOne(raw, address));
    }
    await listenAll(handles.map((handle) => handle.fd));
    return handles.map((handle) => ({ fd: handle.fd, close: () => handle.close() }));
  } catch (error) {
    for (const handle of handles) handle.close();
    throw new TendError('SPAWN_FAILED', `cannot listen for ${app}: ${(error as Error).message}`, { cause: error });
  }
}
