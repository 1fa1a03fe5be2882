import { connect, type Socket } from 'node:net';

/**
 * Connects to a Unix socket, or resolves null when nobody answers there; the one way tend asks
 * "is the daemon (or a cluster primary) up?". Errors after the connect are left to the caller's 'close'.
 */
export function tryConnect(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', () => resolve(null));
  });
}
