import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isTendError } from '../core/errors.js';
import type { MethodName } from './api.js';
import type { Daemon } from './daemon.js';
import { encode, LineSplitter, MAX_LINE_BYTES, PROTOCOL_VERSION, type Reply, type Request } from './protocol.js';

/** Serves the control socket: one JSON request per line, answers tagged with the request id. */
export function serveControlSocket(daemon: Daemon, socketPath: string, onKill: () => void): Promise<Server> {
  const handlers = daemon.handlers() as Record<string, (params: unknown, emit: (event: unknown) => void) => Promise<unknown>>;
  const server = createServer((socket) => handleConnection(socket, handlers, onKill));
  try {
    unlinkSync(socketPath);
  } catch {
    // No stale socket: nothing to remove.
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // The socket is created 0600 from the start: no window in which another user could connect.
    const oldMask = process.umask(0o177);
    server.listen(socketPath, () => {
      process.umask(oldMask);
      chmodSync(socketPath, 0o600);
      server.off('error', reject);
      resolve(server);
    });
  });
}

function handleConnection(
  socket: Socket,
  handlers: Record<string, (params: unknown, emit: (event: unknown) => void) => Promise<unknown>>,
  onKill: () => void,
): void {
  const splitter = new LineSplitter();
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  const send = (reply: Reply): void => {
    if (!socket.destroyed && socket.writable) socket.write(encode(reply));
  };
  socket.on('data', (chunk: string) => {
    const lines = splitter.push(chunk);
    if (splitter.pending > MAX_LINE_BYTES) {
      send({ v: PROTOCOL_VERSION, id: 0, ok: false, error: { code: 'PROTOCOL', message: `request line longer than ${MAX_LINE_BYTES} bytes` } });
      socket.destroy();
      return;
    }
    for (const line of lines) void handleLine(line, handlers, send, onKill);
  });
}

async function handleLine(
  line: string,
  handlers: Record<string, (params: unknown, emit: (event: unknown) => void) => Promise<unknown>>,
  send: (reply: Reply) => void,
  onKill: () => void,
): Promise<void> {
  let request: Request;
  try {
    request = JSON.parse(line) as Request;
    if (typeof request !== 'object' || request === null || typeof request.method !== 'string' || typeof request.id !== 'number') {
      throw new Error('not a request');
    }
  } catch {
    send({ v: PROTOCOL_VERSION, id: 0, ok: false, error: { code: 'PROTOCOL', message: 'a request is one JSON object per line with `id` and `method`' } });
    return;
  }
  const { id } = request;
  if (request.v !== PROTOCOL_VERSION) {
    send({ v: PROTOCOL_VERSION, id, ok: false, error: { code: 'PROTOCOL', message: `protocol version ${String(request.v)} is not ${PROTOCOL_VERSION}: run \`tend kill\` and try again, or use the tend that started this daemon` } });
    return;
  }
  const handler = Object.hasOwn(handlers, request.method) ? handlers[request.method as MethodName] : undefined;
  if (!handler) {
    send({ v: PROTOCOL_VERSION, id, ok: false, error: { code: 'PROTOCOL', message: `unknown method \`${request.method}\`` } });
    return;
  }
  try {
    const result = await handler(request.params ?? {}, (event) => send({ v: PROTOCOL_VERSION, id, event }));
    send({ v: PROTOCOL_VERSION, id, ok: true, result });
    if (request.method === 'kill') onKill();
  } catch (err) {
    if (isTendError(err)) {
      send({ v: PROTOCOL_VERSION, id, ok: false, error: { code: err.code, message: err.message, problems: err.problems } });
    } else {
      console.error(`request ${request.method} failed:`, err);
      send({ v: PROTOCOL_VERSION, id, ok: false, error: { code: 'DAEMON_ERROR', message: `the daemon failed on \`${request.method}\`: ${err instanceof Error ? err.message : String(err)}` } });
    }
  }
}
