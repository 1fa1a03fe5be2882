import { listenKey } from '../config/listen.js';
import type { AppSpec, ListenAddress } from '../config/types.js';
import { type HeldSocket, holdSockets, isAddressInUse } from '../runtime/held-sockets.js';

/** What binds the sockets: the real one in runtime/, a fake in tests. */
export type HoldSockets = typeof holdSockets;

/** How often a bind refused with EADDRINUSE is tried again, and for how long (ms). */
const REBIND_EVERY_MS = 100;
const REBIND_FOR_MS = 5000;

/**
 * Binds one socket, trying again for a few seconds while its address is in use: a daemon that adopted the app does not
 * hold its sockets, and its old instances, stopping beside the new ones in a restart, keep them until they exit.
 */
async function bindWhenFree(hold: HoldSockets, app: string, address: ListenAddress): Promise<HeldSocket> {
  const deadline = Date.now() + REBIND_FOR_MS;
  for (;;) {
    try {
      const [socket] = await hold(app, [address]);
      return socket!;
    } catch (error) {
      if (!isAddressInUse(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, REBIND_EVERY_MS));
    }
  }
}

/**
 * The sockets of every app with `listen`, bound by the daemon on the app's first spawn and held until the app is gone
 * or no longer asks for them: instances come and go (reload, scale, crash) and the socket stays, so nobody is refused.
 * A socket kept across a change of `listen` is the same socket: only the ones added are bound, only the ones dropped
 * are closed.
 */
export class ListenSockets {
  private readonly byApp = new Map<string, Map<string, Promise<HeldSocket>>>();

  constructor(private readonly hold: HoldSockets = holdSockets) {}

  /** The fds of the app's `listen`, in its order, bound now if this daemon does not hold them yet. */
  async fdsFor(spec: AppSpec): Promise<number[]> {
    const addresses = spec.run.listen ?? [];
    const held = this.byApp.get(spec.name) ?? new Map<string, Promise<HeldSocket>>();
    this.byApp.set(spec.name, held);
    const wanted = new Map(addresses.map((address) => [listenKey(address), address]));
    for (const [key, socket] of held) {
      if (wanted.has(key)) continue;
      held.delete(key);
      void socket.then(
        (s) => s.close(),
        () => undefined,
      );
    }
    const keys = [...wanted.keys()];
    for (const [key, address] of wanted) {
      if (held.has(key)) continue;
      // One promise per socket, so instances spawned together share one bind.
      const binding = bindWhenFree(this.hold, spec.name, address);
      held.set(key, binding);
      // A bind that failed is tried again at the next spawn.
      binding.catch(() => {
        if (held.get(key) === binding) held.delete(key);
      });
    }
    const sockets = await Promise.all(keys.map((key) => held.get(key)!));
    return sockets.map((socket) => socket.fd);
  }

  /** Whether every socket of the app's `listen` is bound by this daemon (a daemon that adopted the app holds none). */
  holds(spec: AppSpec): boolean {
    const held = this.byApp.get(spec.name);
    return (spec.run.listen ?? []).every((address) => held?.has(listenKey(address)) === true);
  }

  /** The app is gone: its sockets close (a unix socket's file is removed with it). */
  release(app: string): void {
    const held = this.byApp.get(app);
    if (!held) return;
    this.byApp.delete(app);
    for (const socket of held.values())
      void socket.then(
        (s) => s.close(),
        () => undefined,
      );
  }
}
