import type { BusEvent } from '../api/bus.js';
import { TendError } from '../core/errors.js';
import type { AppRegistry } from './app-registry.js';
import type { EventBus } from './event-bus.js';

/**
 * `subscribe`: streams the bus's events to one client until its connection closes (`closed` aborts), then answers
 * null. A client that does not read is dropped by the server (its output is bounded), which ends this too.
 */
export function subscribeUntilClosed(
  bus: EventBus,
  registry: AppRegistry,
  emit: (event: BusEvent) => void,
  closed: AbortSignal | undefined,
): Promise<null> {
  if (!closed) throw new TendError('PROTOCOL', '`subscribe` needs a connection of its own');
  const unsubscribe = bus.subscribe(emit, registry.processes());
  if (!unsubscribe) throw new TendError('USAGE', 'too many subscribers are connected to this daemon; close one first');
  emit({ kind: 'subscribed', at: Date.now() });
  return new Promise((resolve) => {
    const end = (): void => {
      unsubscribe();
      resolve(null);
    };
    if (closed.aborted) end();
    else closed.addEventListener('abort', end, { once: true });
  });
}

/**
 * PM2's `sendDataToProcessId`: the packet (`{ type: 'process:msg', data, topic }`) goes as it is to the process over
 * its IPC channel, where the app reads it with `process.on('message')`.
 */
export function sendData(registry: AppRegistry, id: number, packet: Record<string, unknown>): { success: true } {
  const p = registry.processes().find((candidate) => candidate.id === id);
  if (!p) throw new TendError('UNKNOWN_APP', `no process has id ${id}`);
  if (p.status !== 'online' && p.status !== 'launching')
    throw new TendError('USAGE', `process ${id} (${p.name}) is ${p.status}: only a running process can be sent data`);
  if (!p.send({ ...packet, id }))
    throw new TendError(
      'USAGE',
      `process ${id} (${p.name}) has no IPC channel to send data over: only a Node.js app started with one can be sent data`,
    );
  return { success: true };
}
