import { connect, type Socket } from 'node:net';
import { encodeLine, NdjsonDecoder } from '../core/ndjson.js';
import { MAX_PROBE_LINE_BYTES, type DaemonMessage, type ProbeMessage, type ProfileKind } from './protocol.js';

type Outcome = { ok: true; answer: unknown } | { ok: false; error: string; missing?: boolean };
const PROFILE_KINDS: readonly string[] = ['cpu', 'heap', 'heap-sampling'] satisfies ProfileKind[];
/** Longest profile the probe takes, whatever it is asked: a wrong number must not keep a profiler running for days. */
const MAX_PROFILE_MS = 10 * 60 * 1000;

export interface ProbeClientOptions {
  socketPath: string;
  id: number;
  pid: number;
  intervalMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Output waiting in the socket past this many bytes means the daemon is not reading: the report is dropped, not queued. */
  maxBufferedBytes: number;
  collect(): Record<string, number>;
  actionNames(): string[];
  run(action: string, arg: string | undefined): Promise<Outcome>;
  /** Takes a profile for `tend profile`; its answer says where it went. */
  profile(kind: ProfileKind, ms: number, file: string): Promise<unknown>;
  /** Opens or closes the inspector for `tend inspect`; its answer is the ws:// address. */
  inspect(open: boolean): Promise<unknown>;
}

/**
 * The probe's link to the daemon: reports every interval, answers actions, and when the daemon is gone
 * reconnects quietly with a growing delay. Its timer and socket are unref'd, so it never keeps the app alive,
 * and every failure is swallowed, so it never crashes the app.
 */
export class ProbeClient {
  private socket: Socket | null = null;
  private connected = false;
  private delayMs: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly ticker: NodeJS.Timeout;
  private stopped = false;
  /** One report in `every` intervals, as the daemon asks; the first after a connection goes at once. */
  private every = 1;
  private sinceReport = Infinity;

  constructor(private readonly options: ProbeClientOptions) {
    this.delayMs = options.reconnectMinMs;
    this.ticker = setInterval(() => this.tick(), options.intervalMs);
    this.ticker.unref();
    this.connect();
  }

  /** Tells the daemon about actions registered after the hello. */
  actionsChanged(): void {
    this.send({ t: 'actions', actions: this.options.actionNames() });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
  }

  private tick(): void {
    try {
      // Collected every interval, sent or not, so each report covers the last interval and histograms do not pile up.
      const metrics = this.options.collect();
      this.sinceReport += 1;
      if (this.sinceReport < this.every) return;
      this.sinceReport = 0;
      this.send({ t: 'metrics', metrics });
    } catch {
      // A probe bug must not become the app's crash.
    }
  }

  private send(message: ProbeMessage): void {
    const socket = this.socket;
    if (!socket || !this.connected || socket.writableLength > this.options.maxBufferedBytes) return;
    try {
      socket.write(encodeLine(message));
    } catch {
      // The close handler reconnects.
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = connect(this.options.socketPath);
    socket.unref();
    this.socket = socket;
    const decoder = new NdjsonDecoder({ maxLineBytes: MAX_PROBE_LINE_BYTES });
    socket.on('connect', () => {
      this.connected = true;
      this.sinceReport = Infinity;
      this.delayMs = this.options.reconnectMinMs;
      this.send({ t: 'hello', id: this.options.id, pid: this.options.pid, actions: this.options.actionNames() });
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of decoder.push(chunk)) {
          // An over-long line is a bug or an attack: the connection goes (and comes back); garbage is skipped.
          if (line.kind === 'too-long') {
            socket.destroy();
            return;
          }
          if (line.kind === 'message') this.handle(line.message as DaemonMessage);
        }
      } catch {
        // A probe bug must not become the app's crash.
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.connected = false;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.options.reconnectMaxMs, this.delayMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private handle(message: DaemonMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.t === 'pace') {
      if (!Number.isSafeInteger(message.every) || message.every < 1) return;
      // Someone started reading: the next interval reports, not the one `every` intervals away.
      if (message.every < this.every) this.sinceReport = Infinity;
      this.every = message.every;
      return;
    }
    if (!Number.isSafeInteger(message.req)) return;
    if (message.t === 'run') {
      const arg = typeof message.arg === 'string' ? message.arg : undefined;
      this.reply(message.req, this.options.run(String(message.action), arg));
    } else if (message.t === 'profile') {
      const { kind, ms, file } = message;
      if (!PROFILE_KINDS.includes(kind) || !Number.isSafeInteger(ms) || ms < 0 || ms > MAX_PROFILE_MS) return;
      if (typeof file !== 'string' || !file.startsWith('/')) return;
      this.reply(message.req, outcomeOf(this.options.profile(kind, ms, file)));
    } else if (message.t === 'inspect') {
      this.reply(message.req, outcomeOf(this.options.inspect(message.open === true)));
    }
  }

  private reply(req: number, outcome: Promise<Outcome>): void {
    void outcome.then((result) => {
      let line: ProbeMessage = { t: 'answer', req, ...result };
      // An answer that JSON cannot carry (a cycle, a BigInt) becomes an error rather than a lost reply.
      try {
        encodeLine(line);
      } catch (err) {
        line = {
          t: 'answer',
          req,
          ok: false,
          error: `the answer cannot be sent: ${(err as Error).message}`,
        };
      }
      this.send(line);
    });
  }
}

/** A promise's result as an answer: its value, or its error's message. */
function outcomeOf(work: Promise<unknown>): Promise<Outcome> {
  return work.then(
    (answer) => ({ ok: true as const, answer }),
    (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : String(error) }),
  );
}
