import type { BusEvent, BusProcess, ProcessEventName } from '../api/bus.js';
import type { ProcessStatus } from '../supervisor/status.js';
import type { ManagedProcess } from './managed-process.js';

type Listener = (event: BusEvent) => void;

/** Most subscribers at once (each is a connection a client keeps open); more are refused. */
const MAX_SUBSCRIBERS = 64;

type HistoryEntry = ManagedProcess['history'][number];

function busProcess(p: ManagedProcess, status: ProcessStatus): BusProcess {
  const ctx = p.context;
  return {
    pm_id: p.id,
    name: p.name,
    namespace: p.spec.namespace,
    instance: p.instance,
    pid: p.pid,
    status,
    restarts: ctx.restarts,
    exit_code: ctx.lastExitCode ?? null,
    logs: p.logPaths,
  };
}

/** PM2's name for a change of status, or null for one it has no event for (stopping). */
function eventOf(from: ProcessStatus | undefined, to: ProcessStatus): ProcessEventName | null {
  switch (to) {
    case 'launching':
      return 'start';
    case 'online':
      return 'online';
    case 'stopped':
      return from === 'stopping' ? 'stop' : 'exit';
    case 'waiting-restart':
      return 'exit';
    case 'errored':
      return 'errored';
    default:
      return null;
  }
}

/**
 * The daemon's side of `launchBus`: process status changes and the messages apps send, to every subscriber. Costs
 * nothing while nobody subscribes (the usual case): each hook returns at once.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  /**
   * Per process id, the last entry of its history (`ManagedProcess.history`, every status with its time) already
   * published. The daemon hears of changes a microtask late, and of other things too (log health): the history, not
   * the status at that moment, says what happened, so two quick changes are both said, and each once.
   */
  private readonly seen = new Map<number, HistoryEntry | undefined>();

  /**
   * Adds a subscriber until the returned function is called; null when there are too many already. `current`: the
   * processes there are now, whose history so far is not news.
   */
  subscribe(listener: Listener, current: Iterable<ManagedProcess>): (() => void) | null {
    if (this.listeners.size >= MAX_SUBSCRIBERS) return null;
    if (this.listeners.size === 0) for (const p of current) this.seen.set(p.id, p.history.at(-1));
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.seen.clear();
    };
  }

  /** Called after every change the daemon hears of; publishes each status change once, in order. */
  processChanged(p: ManagedProcess): void {
    if (this.listeners.size === 0) return;
    const history = p.history;
    const newest = history.at(-1);
    if (newest === undefined) return;
    const known = this.seen.has(p.id);
    const last = this.seen.get(p.id);
    if (last === newest) return;
    // A process born after the subscription: all of its history is news. Otherwise what follows the last entry
    // published; if that entry has left the (bounded) history, only the newest.
    const index = last === undefined ? -1 : history.lastIndexOf(last);
    const from = !known || last === undefined ? 0 : index >= 0 ? index + 1 : history.length - 1;
    this.seen.set(p.id, newest);
    for (let i = from; i < history.length; i++) {
      const entry = history[i]!;
      const before = i > 0 ? history[i - 1]!.status : last?.status;
      const event = eventOf(before, entry.status);
      if (event !== null) this.publish({ kind: 'process', event, process: busProcess(p, entry.status), at: entry.at });
    }
  }

  /** What an app sent over its IPC channel: an object `{ type, data }` is an event of that type (PM2's rule). */
  appMessage(p: ManagedProcess, message: unknown): void {
    if (this.listeners.size === 0) return;
    if (typeof message !== 'object' || message === null) return;
    const { type, data } = message as { type?: unknown; data?: unknown };
    if (typeof type !== 'string' || data === undefined) return;
    this.publish({ kind: 'message', type, data, process: busProcess(p, p.status), at: Date.now() });
  }

  private publish(event: BusEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
