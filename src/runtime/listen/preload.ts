// Preloaded into each fork-mode Node.js app with `listen` (`node --require <dist>/listen-fds.cjs app.js`, see
// src/probe/preload-for.ts): the app's own `server.listen(PORT)` (or a path) on a socket tend holds listens on the
// inherited fd instead, so the app needs no change; and the daemon can drain it before a reload stops it, as a
// cluster worker is drained. Outside tend, or in a child of the app (LISTEN_PID is not its pid), it does nothing.
import { Server } from 'node:net';
import type { ListenAddress } from '../../config/types.js';
import { installDrain } from '../cluster/drain.js';
import { TEND_LISTEN_VAR } from '../listen-env.js';
import { heldFdFor } from './held-fd.js';

function install(): void {
  const raw = process.env[TEND_LISTEN_VAR];
  if (!raw || process.env.LISTEN_PID !== String(process.pid)) return;
  const held = JSON.parse(raw) as ListenAddress[];
  installDrain();
  // The drain's message listener must not keep an app alive that would end on its own (Node refs the channel for it).
  process.channel?.unref();
  const listen = Server.prototype.listen as (this: Server, ...args: unknown[]) => Server;
  Server.prototype.listen = function listenOnHeldSocket(this: Server, ...args: unknown[]) {
    const fd = heldFdFor(args, held, process.cwd());
    if (fd === undefined) return listen.apply(this, args);
    const last = args[args.length - 1];
    const callback = typeof last === 'function' ? last : undefined;
    return callback === undefined ? listen.call(this, { fd }) : listen.call(this, { fd }, callback);
  } as typeof Server.prototype.listen;
}

try {
  install();
} catch {
  // The app starts whatever happens here: it then listens as it asked.
}
