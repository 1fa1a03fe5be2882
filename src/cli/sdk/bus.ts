import { EventEmitter } from 'node:events';
import type { BusEvent, BusProcess } from '../../api/bus.js';
import type { ProcessView } from '../../api/methods.js';
import type { TendPaths } from '../../core/home.js';
import { followFile, type Follower } from '../../runtime/log-files.js';
import { DaemonClient } from '../client.js';
import { pm2Status } from '../pm2-shape.js';
import type { Bus, BusListener } from './public-types.js';

/** How long the bus waits before it connects again after the daemon went away (`tend update`, a kill -9). */
const RECONNECT_MS = 500;

/** A pattern of PM2's bus (`log:*`, `*`): each `*` matches anything and is passed to the listener before the packet. */
function patternOf(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '(.+)')}$`);
}

function processRef(p: BusProcess | ProcessView): { pm_id: number; name: string; namespace: string } {
  return 'pm_id' in p
    ? { pm_id: p.pm_id, name: p.name, namespace: p.namespace }
    : { pm_id: p.id, name: p.name, namespace: p.namespace };
}

/**
 * PM2's bus, from tend: the daemon streams status changes and the messages apps send (`subscribe`); the apps' output
 * is read here, from their log files, as `tend logs` does (apps write their files themselves; nothing passes through
 * the daemon). The files are followed only while someone listens to `log:…` (or `*`).
 */
export class TendBus extends EventEmitter implements Bus {
  private client: DaemonClient | null = null;
  private closed = false;
  private readonly followers = new Map<string, Follower>();
  private following = false;
  private refreshing: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly paths: TendPaths,
    /** Called when the bus closes, so the API forgets it. */
    private readonly onClose: (bus: TendBus) => void,
  ) {
    super();
    this.on('newListener', (event: string | symbol) => {
      if (typeof event === 'string' && (event.startsWith('log:') || event.includes('*')) && !this.following) {
        this.following = true;
        void this.refreshLogs();
      }
    });
  }

  /** Subscribes; resolves once the daemon has taken the subscription, so no event after that is missed. */
  async open(): Promise<void> {
    const client = await DaemonClient.connect(this.paths);
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      let subscribed = false;
      client
        .call('subscribe', undefined, (event) => {
          const busEvent = event as BusEvent;
          if (busEvent.kind === 'subscribed') {
            subscribed = true;
            resolve();
          } else this.receive(busEvent);
        })
        .catch((err: unknown) => {
          if (!subscribed) reject(err);
        })
        .finally(() => this.lost(client));
    });
  }

  /** PM2's `bus.close()`: the subscription ends and the log files are no longer followed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.client?.destroy();
    this.client = null;
    for (const follower of this.followers.values()) follower.close();
    this.followers.clear();
    this.onClose(this);
  }

  /** Delivers a packet to the listeners of its event and of every pattern it matches. */
  private deliver(type: string, packet: object): void {
    this.emit(type, packet);
    for (const name of this.eventNames()) {
      if (typeof name !== 'string' || name === type || !name.includes('*')) continue;
      const match = patternOf(name).exec(type);
      if (match) this.emit(name, ...match.slice(1), packet);
    }
  }

  private receive(event: Exclude<BusEvent, { kind: 'subscribed' }>): void {
    if (this.closed) return;
    if (event.kind === 'message') {
      this.deliver(event.type, {
        at: event.at,
        data: event.data,
        process: { ...processRef(event.process), versioning: null },
      });
      return;
    }
    const p = event.process;
    this.deliver('process:event', {
      event: event.event,
      manually: false,
      process: {
        ...processRef(p),
        status: pm2Status(p.status),
        restart_time: p.restarts,
        exit_code: p.exit_code,
        pid: p.pid,
      },
      at: event.at,
    });
    // A process that starts may write to files not followed yet: from their end now, before its first line.
    if (this.following && p.logs) this.follow(processRef(p), p.logs.out, p.logs.err);
  }

  /** The daemon went away (or refused the subscription): connect again until the bus is closed. */
  private lost(client: DaemonClient): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    const again = (): void => {
      this.retry = null;
      if (this.closed) return;
      this.open().then(
        () => (this.following ? this.refreshLogs() : undefined),
        () => {
          this.retry = setTimeout(again, RECONNECT_MS);
        },
      );
    };
    this.retry = setTimeout(again, RECONNECT_MS);
  }

  /** Follows the log files of every process from their current end: new files only, each once. */
  private refreshLogs(): Promise<void> {
    this.refreshing ??= this.followLogs().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async followLogs(): Promise<void> {
    let views: ProcessView[];
    try {
      const client = await DaemonClient.connect(this.paths);
      try {
        views = await client.call('list', undefined);
      } finally {
        client.close();
      }
    } catch {
      return;
    }
    for (const view of views) this.follow(processRef(view), view.pm_out_log_path, view.pm_err_log_path);
  }

  /** Follows a process's log files from their current end, each file once. */
  private follow(
    ref: { pm_id: number; name: string; namespace: string },
    out: string | null,
    err: string | null,
  ): void {
    if (this.closed) return;
    for (const [file, stream] of [
      [out, 'out'],
      [err, 'err'],
    ] as const) {
      if (file === null || this.followers.has(file)) continue;
      // A file several instances share (fork mode merges them) is told as its first process's.
      const process = { ...ref, rev: null };
      this.followers.set(
        file,
        followFile(
          file,
          (lines) => {
            for (const line of lines) this.deliver(`log:${stream}`, { process, at: Date.now(), data: `${line}\n` });
          },
          { onError: () => undefined },
        ),
      );
    }
  }

  // EventEmitter's signatures, narrowed to the public Bus's.
  override on(event: string | symbol, listener: BusListener): this {
    return super.on(event, listener);
  }
}
