import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isTendError } from '../core/errors.js';
import { encodeLine, NdjsonDecoder, type NdjsonLine } from '../core/ndjson.js';
import type { Daemon } from './daemon.js';
import { checkParams } from './params.js';
import { MAX_LINE_BYTES, PROTOCOL_VERSION, type Reply, type Request } from '../api/wire.js';

/** `closed` aborts when the client's connection closes: a call that streams until then (`subscribe`) ends with it. */
type Handler = (params: unknown, emit: (event: unknown) => void, closed: AbortSignal) => Promise<unknown>;

/** Answers queued for a client beyond this stop the daemon reading its requests until it reads. */
const PAUSE_OUTPUT_BYTES = 1024 * 1024;
/** A client this far behind (it sends and never reads) is dropped rather than held in memory. */
const DROP_OUTPUT_BYTES = 32 * 1024 * 1024;
/** Requests of one connection handled at once (the CLI sends one); the rest wait their turn. */
const MAX_IN_FLIGHT = 64;
/** Connections open at once, so idle clients cannot take the file descriptors apps need. */
const MAX_CONNECTIONS = 1000;

interface Hooks {
  onKill: () => void;
  /** What went wrong at start (a broken state file set aside), added to every `ping` answer. */
  warnings: () => readonly string[];
}

/** Serves the control socket: one JSON request per line, answers tagged with the request id. */
export function serveControlSocket(
  daemon: Daemon,
  socketPath: string,
  onKill: () => void,
  warnings: () => readonly string[] = () => [],
): Promise<Server> {
  const handlers = daemon.handlers() as unknown as Record<string, Handler>;
  // Half-open: `printf '{…}\n' | nc -U tend.sock` ends its side at once and still gets its answer.
  const server = createServer({ allowHalfOpen: true }, (socket) =>
    handleConnection(socket, handlers, { onKill, warnings }),
  );
  server.maxConnections = MAX_CONNECTIONS;
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

/** A line of a request stream waiting its turn: a JSON value, or garbage that gets its error in turn. */
type RequestLine = Exclude<NdjsonLine, { kind: 'too-long' }>;

function handleConnection(socket: Socket, handlers: Record<string, Handler>, hooks: Hooks): void {
  const decoder = new NdjsonDecoder({ maxLineBytes: MAX_LINE_BYTES });
  const waiting: RequestLine[] = [];
  let next = 0;
  let inFlight = 0;
  let ended = false;
  let refused = false;
  const closed = new AbortController();
  socket.on('error', () => undefined);
  socket.on('close', () => closed.abort());

  const send = (reply: Reply): void => {
    if (socket.destroyed || !socket.writable) return;
    // What is still queued says whether the client reads: one that is this far behind is dropped. The answer itself is
    // written whole, however big (the plan of a 100,000-app apply): cutting it would report a failure for work done.
    if (socket.writableLength > DROP_OUTPUT_BYTES) {
      socket.destroy();
      return;
    }
    socket.write(encodeLine(reply));
  };

  // Starts waiting requests while few are in progress and the client keeps up with the answers;
  // otherwise stops reading from it, so a flood of requests or a client that never reads costs bounded memory.
  const pump = (): void => {
    while (
      next < waiting.length &&
      inFlight < MAX_IN_FLIGHT &&
      socket.writableLength <= PAUSE_OUTPUT_BYTES &&
      !socket.destroyed
    ) {
      const line = waiting[next++]!;
      inFlight++;
      void handleLine(line, handlers, send, hooks, closed.signal).finally(() => {
        inFlight--;
        pump();
      });
    }
    if (next === waiting.length) {
      waiting.length = 0;
      next = 0;
    }
    if (waiting.length > 0 || socket.writableLength > PAUSE_OUTPUT_BYTES) socket.pause();
    else if (!ended) socket.resume();
    if (ended && inFlight === 0 && waiting.length === 0 && !socket.destroyed) socket.end();
  };

  socket.on('drain', pump);
  // A line past the limit is refused as soon as it passes it, newline or not: answered, and the connection closed.
  const refuse = (): void => {
    refused = true;
    send({
      v: PROTOCOL_VERSION,
      id: 0,
      ok: false,
      error: { code: 'PROTOCOL', message: `request line longer than ${MAX_LINE_BYTES} bytes` },
    });
    socket.end();
    // The client may keep writing; do not wait for it to stop.
    setTimeout(() => socket.destroy(), 1000).unref();
  };

  socket.on('data', (chunk: Buffer) => {
    if (refused) return;
    const lines = decoder.push(chunk);
    // Nothing of a chunk with a refused line runs: its answers could no longer be sent.
    if (lines.some((line) => line.kind === 'too-long')) {
      refuse();
      return;
    }
    for (const line of lines as RequestLine[]) waiting.push(line);
    pump();
  });
  socket.on('end', () => {
    ended = true;
    if (refused) return;
    // A last request sent without its newline before the client closed its side.
    for (const line of decoder.end()) if (line.kind !== 'too-long') waiting.push(line);
    pump();
  });
}

async function handleLine(
  line: RequestLine,
  handlers: Record<string, Handler>,
  send: (reply: Reply) => void,
  hooks: Hooks,
  closed: AbortSignal,
): Promise<void> {
  let request: Request;
  try {
    if (line.kind !== 'message') throw line.error;
    request = line.message as Request;
    if (
      typeof request !== 'object' ||
      request === null ||
      typeof request.method !== 'string' ||
      typeof request.id !== 'number'
    ) {
      throw new Error('not a request');
    }
  } catch {
    send({
      v: PROTOCOL_VERSION,
      id: 0,
      ok: false,
      error: { code: 'PROTOCOL', message: 'a request is one JSON object per line with `id` and `method`' },
    });
    return;
  }
  const { id, method } = request;
  if (request.v !== PROTOCOL_VERSION) {
    send({
      v: PROTOCOL_VERSION,
      id,
      ok: false,
      error: {
        code: 'PROTOCOL',
        message: `protocol version ${String(request.v)} is not ${PROTOCOL_VERSION}: run \`tend kill\` and try again, or use the tend that started this daemon`,
      },
    });
    return;
  }
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  if (!handler) {
    send({
      v: PROTOCOL_VERSION,
      id,
      ok: false,
      error: { code: 'PROTOCOL', message: `unknown method \`${method.slice(0, 100)}\`` },
    });
    return;
  }
  try {
    const params = request.params ?? {};
    checkParams(method, params);
    let result = await handler(params, (event) => send({ v: PROTOCOL_VERSION, id, event }), closed);
    if (method === 'ping' && hooks.warnings().length > 0)
      result = { ...(result as object), warnings: hooks.warnings() };
    send({ v: PROTOCOL_VERSION, id, ok: true, result });
    if (method === 'kill' || method === 'exit') hooks.onKill();
  } catch (err) {
    if (isTendError(err)) {
      send({
        v: PROTOCOL_VERSION,
        id,
        ok: false,
        error: { code: err.code, message: err.message, problems: err.problems },
      });
    } else {
      console.error(`request ${method} failed:`, err);
      send({
        v: PROTOCOL_VERSION,
        id,
        ok: false,
        error: {
          code: 'DAEMON_ERROR',
          message: `the daemon failed on \`${method}\`: ${err instanceof Error ? err.message : String(err)}`,
        },
      });
    }
  }
}
