import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { encodeLine, NdjsonDecoder } from '../core/ndjson.js';
import { MAX_PROBE_LINE_BYTES, parseProbeMessage, type DaemonMessage } from '../probe/protocol.js';

/** Most probe connections served at once; beyond this a misbehaving app cannot exhaust the daemon's descriptors. */
const MAX_CONNECTIONS = 4096;
/** Most figures kept per process (200 custom metrics, histograms counting five each, and the runtime's own). */
const MAX_METRICS_PER_PROCESS = 1100;

/** What one instance answered to `tend trigger`. */
export type ActionOutcome =
  | { ok: true; answer: unknown }
  | { ok: false; error: string; reason: 'failed' | 'missing' | 'timeout' | 'no-probe' | 'disconnected' };

interface Connection {
  socket: Socket;
  key: string | null;
  actions: string[];
  metrics: Record<string, number> | null;
  nextReq: number;
  pending: Map<number, (outcome: ActionOutcome) => void>;
}

/** One process as the probe names it: tend's id (TEND_ID) and its pid, so a recycled id or a forked child never mixes in. */
function keyOf(id: number, pid: number): string {
  return `${id}/${pid}`;
}

/**
 * The daemon's side of the in-app probes: a Unix socket (`probe.sock`, 0600) every probed Node app connects to.
 * Keeps the latest figures of each process and carries `tend trigger`'s actions to them. The apps are the
 * clients, so a new daemon simply gets their connections again.
 */
export class ProbeServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly byKey = new Map<string, Connection>();
  /** Who waits for a process's probe to say hello (a trigger in the app's first moments), by key. */
  private readonly arrivals = new Map<string, Set<(conn: Connection | undefined) => void>>();
  /** Reports asked of every probe: one in `every` intervals. */
  private every: number;
  private lastRead = -Infinity;
  private slowDown: NodeJS.Timeout | null = null;

  constructor(
    private readonly socketPath: string,
    private readonly pace: { idleEvery: number; holdMs: number } = { idleEvery: 1, holdMs: 0 },
    private readonly now: () => number = Date.now,
  ) {
    this.every = pace.idleEvery;
  }

  /**
   * Someone reads the figures (ls, show, monit, a dashboard page, a /metrics scrape): every probe reports each
   * interval until nobody has read them for `holdMs`, then one report in `idleEvery`. A hundred idle apps
   * nobody looks at then cost the daemon a tenth of the reads.
   */
  read(): void {
    this.lastRead = this.now();
    this.setEvery(1);
    if (this.slowDown === null && this.pace.idleEvery > 1) this.scheduleSlowDown(this.pace.holdMs);
  }

  private scheduleSlowDown(ms: number): void {
    this.slowDown = setTimeout(() => {
      this.slowDown = null;
      const quiet = this.now() - this.lastRead;
      if (quiet >= this.pace.holdMs) this.setEvery(this.pace.idleEvery);
      else this.scheduleSlowDown(this.pace.holdMs - quiet);
    }, ms);
    this.slowDown.unref();
  }

  private setEvery(every: number): void {
    if (every === this.every) return;
    this.every = every;
    const line = encodeLine({ t: 'pace', every } satisfies DaemonMessage);
    for (const conn of this.connections) if (conn.key !== null) conn.socket.write(line);
  }

  /** Opens the socket; a file left by a daemon that died is removed first (only one daemon serves a home). */
  listen(): Promise<void> {
    try {
      unlinkSync(this.socketPath);
    } catch {
      // None left.
    }
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        server.on('error', (err) => console.error('tend daemon: probe socket:', err));
        chmodSync(this.socketPath, 0o600);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.slowDown) clearTimeout(this.slowDown);
    for (const conn of this.connections) conn.socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      unlinkSync(this.socketPath);
    } catch {
      // Already gone.
    }
  }

  /** The latest figures of one process, or null when no probe of that very process is connected. */
  metricsOf(id: number, pid: number | null): Record<string, number> | null {
    return pid === null ? null : (this.byKey.get(keyOf(id, pid))?.metrics ?? null);
  }

  /** The actions one process offers, for `tend show`. */
  actionsOf(id: number, pid: number | null): string[] {
    return pid === null ? [] : [...(this.byKey.get(keyOf(id, pid))?.actions ?? [])];
  }

  /**
   * Runs an action in one process and waits for its answer, at most `timeoutMs`. A process whose probe has not said
   * hello yet (it starts a moment after the app) is waited for, at most `helloWaitMs`.
   */
  run(
    id: number,
    pid: number | null,
    action: string,
    arg: string | undefined,
    timeoutMs: number,
    helloWaitMs = 0,
  ): Promise<ActionOutcome> {
    return this.request(
      id,
      pid,
      (req) => (arg === undefined ? { t: 'run', req, action } : { t: 'run', req, action, arg }),
      timeoutMs,
      helloWaitMs,
    );
  }

  /** Sends one request (an action, a profile, the inspector) to one process's probe and waits for its answer. */
  async request(
    id: number,
    pid: number | null,
    message: (req: number) => DaemonMessage,
    timeoutMs: number,
    helloWaitMs = 0,
  ): Promise<ActionOutcome> {
    const conn = pid === null ? undefined : await this.connectionOf(keyOf(id, pid), helloWaitMs);
    if (!conn)
      return {
        ok: false,
        error: 'no probe is connected (not a Node.js app, probe turned off, or not running)',
        reason: 'no-probe',
      };
    const req = conn.nextReq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        conn.pending.delete(req);
        resolve({ ok: false, error: `no answer within ${timeoutMs / 1000} s`, reason: 'timeout' });
      }, timeoutMs);
      conn.pending.set(req, (outcome) => {
        clearTimeout(timer);
        conn.pending.delete(req);
        resolve(outcome);
      });
      conn.socket.write(encodeLine(message(req)));
    });
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    const conn: Connection = { socket, key: null, actions: [], metrics: null, nextReq: 1, pending: new Map() };
    this.connections.add(conn);
    const decoder = new NdjsonDecoder({ maxLineBytes: MAX_PROBE_LINE_BYTES });
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) {
        // An over-long line is a bug or an attack: the connection is dropped; an unreadable one is skipped.
        if (line.kind === 'too-long') {
          socket.destroy();
          return;
        }
        if (line.kind === 'message') this.handle(conn, line.message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.connections.delete(conn);
      if (conn.key !== null && this.byKey.get(conn.key) === conn) this.byKey.delete(conn.key);
      for (const settle of [...conn.pending.values()])
        settle({ ok: false, error: 'the process went away before it answered', reason: 'disconnected' });
    });
  }

  private connectionOf(key: string, waitMs: number): Promise<Connection | undefined> {
    const conn = this.byKey.get(key);
    if (conn || waitMs <= 0) return Promise.resolve(conn);
    return new Promise((resolve) => {
      const waiters = this.arrivals.get(key) ?? new Set();
      this.arrivals.set(key, waiters);
      const arrived = (found: Connection | undefined): void => {
        clearTimeout(timer);
        waiters.delete(arrived);
        if (waiters.size === 0) this.arrivals.delete(key);
        resolve(found);
      };
      const timer = setTimeout(() => arrived(undefined), waitMs);
      waiters.add(arrived);
    });
  }

  private handle(conn: Connection, line: unknown): void {
    const message = parseProbeMessage(line);
    if (!message) return;
    switch (message.t) {
      case 'hello': {
        if (conn.key !== null) return;
        conn.key = keyOf(message.id, message.pid);
        conn.actions = message.actions;
        // A probe that reconnects replaces its older connection.
        this.byKey.get(conn.key)?.socket.destroy();
        this.byKey.set(conn.key, conn);
        if (this.every !== 1) conn.socket.write(encodeLine({ t: 'pace', every: this.every } satisfies DaemonMessage));
        for (const arrived of [...(this.arrivals.get(conn.key) ?? [])]) arrived(conn);
        break;
      }
      case 'metrics':
        if (conn.key !== null && Object.keys(message.metrics).length <= MAX_METRICS_PER_PROCESS)
          conn.metrics = message.metrics;
        break;
      case 'actions':
        conn.actions = message.actions;
        break;
      case 'answer': {
        const settle = conn.pending.get(message.req);
        if (!settle) return;
        if (message.ok) settle({ ok: true, answer: message.answer });
        else settle({ ok: false, error: message.error, reason: message.missing ? 'missing' : 'failed' });
        break;
      }
    }
  }
}
