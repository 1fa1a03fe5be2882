import { preloadFor } from '../probe/preload-for.js';
import type { SpawnRequest } from '../runtime/spawn-instance.js';
import { stdinFifoPath } from '../runtime/stdin-fifo.js';

/**
 * What the daemon spawns for one fork-mode instance (but the sockets of `listen`, which only the daemon holds): the
 * request with the preloads of a Node app and its stdin FIFO. In a file of its own so that tend-runtime builds the
 * very same request for the spawns it makes before its daemon is set up (src/container/early-start.ts).
 */
export function forkRequest(req: SpawnRequest, home: string, distDir: string): SpawnRequest {
  return { ...req, ...preloadFor(req.spec, distDir), stdinFifo: stdinFifoPath(home, req.id) };
}
