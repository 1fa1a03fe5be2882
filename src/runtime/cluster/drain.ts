import { ServerResponse } from 'node:http';
import { Server } from 'node:net';
import type { WorkerCommand, WorkerNotice } from './protocol.js';

/** How often a draining worker counts its open connections. */
const DRAIN_POLL_MS = 20;
/** Keep-alive connections that go idle while draining are closed after this long. */
const DRAINING_KEEP_ALIVE_MS = 500;

/**
 * Lets the primary drain this worker: its servers stop taking connections, every response that has not sent its
 * headers yet says `Connection: close` so clients open their next request elsewhere, and the primary is told when
 * no connection is left. Idle keep-alive connections are not cut at once (a client may be sending on one).
 * Nothing runs per request until a drain starts: watching each request (a diagnostics channel, a set of responses)
 * cost the app about 10 % of its requests per second under load.
 */
export function installDrain(): void {
  const servers = new Set<Server>();
  let draining = false;

  const originalListen = Server.prototype.listen;
  Server.prototype.listen = function listen(this: Server, ...args: unknown[]) {
    servers.add(this);
    return (originalListen as (...a: unknown[]) => Server).apply(this, args);
  } as typeof Server.prototype.listen;

  // Every response's headers go out through writeHead (res.end() and res.write() call it too), so from the drain on,
  // each response not yet answered asks its client to close: those in flight and any still accepted.
  const closeEachConnection = (): void => {
    const writeHead = ServerResponse.prototype.writeHead;
    ServerResponse.prototype.writeHead = function closingWriteHead(this: ServerResponse, ...args: unknown[]) {
      this.shouldKeepAlive = false;
      if (!this.headersSent) this.setHeader('connection', 'close');
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof ServerResponse.prototype.writeHead;
  };

  const openConnections = (): Promise<number> =>
    Promise.all(
      [...servers].map(
        (server) =>
          new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count))),
      ),
    ).then((counts) => counts.reduce((a, b) => a + b, 0));

  const onMessage = (message: unknown): void => {
    const command = message as WorkerCommand;
    if (!command || typeof command !== 'object' || command.tend !== 'drain' || draining) return;
    draining = true;
    closeEachConnection();
    for (const server of servers) {
      (server as Server & { keepAliveTimeout?: number }).keepAliveTimeout = DRAINING_KEEP_ALIVE_MS;
      // net's close, not http's: http's also cuts idle keep-alive connections at once, racing a client's next request.
      if (server.listening) Server.prototype.close.call(server);
    }
    const deadline = Date.now() + command.timeoutMs;
    const check = async (): Promise<void> => {
      const open = await openConnections();
      if (open === 0 || Date.now() >= deadline) {
        process.send?.({ tend: 'drained', open } satisfies WorkerNotice);
        return;
      }
      setTimeout(() => void check(), DRAIN_POLL_MS);
    };
    void check();
  };
  // A cluster worker's channel is referenced by Node itself (it exits when the primary disconnects), so this
  // listener keeps nothing alive that was not already.
  process.on('message', onMessage);
}
