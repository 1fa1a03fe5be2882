import { connect, type Socket } from 'node:net';
import { type CheckOutcome, errorWords, shortDuration } from './outcome.js';

/** The most of an answer read before its status and framing must be known (a health answer is small). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What an http check asks: a GET to 127.0.0.1:port/path; passes on one of `statuses`, or any 2xx/3xx when none. */
export interface HttpTarget {
  port: number;
  path: string;
  statuses: readonly number[];
}

/** One answer as far as the check reads it: its status, and whether the connection can carry the next request. */
interface Answer {
  status: number;
  reusable: boolean;
}

/**
 * An http check of one instance, over one kept-alive connection: a check every second per app costs the daemon a write
 * and a read, not a connection set up and torn down with Node's whole HTTP client (measured: about a third of the CPU).
 * Only answers framed by Content-Length and fully read keep the connection; any other (chunked, `Connection: close`, a
 * timeout, an error) closes it, and the next check connects again. A kept connection the app closed while idle gets one
 * retry on a new connection, so the app's keep-alive timeout never reads as a failure.
 */
export class HttpCheck {
  private socket: Socket | null = null;

  constructor(
    private readonly target: HttpTarget,
    private readonly timeoutMs: number,
    /** false: a new connection for every check (a port shared by cluster workers, see CheckTarget.sharedPort). */
    private readonly keepAlive = true,
  ) {}

  async check(): Promise<CheckOutcome> {
    const what = `GET ${this.target.path}`;
    const deadline = Date.now() + this.timeoutMs;
    let outcome = await this.ask(deadline);
    if (outcome.kind === 'stale') outcome = await this.ask(deadline);
    if (outcome.kind === 'answer') {
      const { status } = outcome.answer;
      const statuses = this.target.statuses;
      const ok = statuses.length > 0 ? statuses.includes(status) : status >= 200 && status < 400;
      return { ok, message: `${what} answered ${status}` };
    }
    if (outcome.kind === 'timeout')
      return { ok: false, message: `${what} timed out after ${shortDuration(this.timeoutMs)}` };
    return { ok: false, message: `${what}: ${outcome.kind === 'stale' ? 'connection closed' : outcome.message}` };
  }

  /** Closes the kept connection (the run ended, or the check changed). */
  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private ask(
    deadline: number,
  ): Promise<
    { kind: 'answer'; answer: Answer } | { kind: 'timeout' } | { kind: 'stale' } | { kind: 'error'; message: string }
  > {
    const reused = this.socket !== null;
    const socket = this.socket ?? this.open();
    this.socket = null;
    return new Promise((resolve) => {
      let received: Buffer = Buffer.alloc(0);
      let settled = false;
      const finish = (
        outcome:
          | { kind: 'answer'; answer: Answer }
          | { kind: 'timeout' }
          | { kind: 'stale' }
          | { kind: 'error'; message: string },
      ): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (outcome.kind === 'answer' && outcome.answer.reusable && this.keepAlive) this.socket = socket;
        else socket.destroy();
        resolve(outcome);
      };
      const onData = (chunk: Buffer): void => {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        const answer = readAnswer(received);
        if (answer === 'incomplete' && received.length < MAX_ANSWER_BYTES) return;
        if (answer === 'incomplete' || answer === 'garbled')
          finish({ kind: 'error', message: 'the answer is not HTTP/1.x' });
        else finish({ kind: 'answer', answer });
      };
      const onError = (err: Error): void =>
        finish(reused && received.length === 0 ? { kind: 'stale' } : { kind: 'error', message: errorWords(err) });
      const onClose = (): void => {
        // An answer without a length ends with the connection.
        const answer = readAnswer(received, true);
        if (typeof answer === 'object') finish({ kind: 'answer', answer });
        else
          finish(reused && received.length === 0 ? { kind: 'stale' } : { kind: 'error', message: 'connection closed' });
      };
      const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, deadline - Date.now()));
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.write(
        `GET ${this.target.path} HTTP/1.1\r\nHost: 127.0.0.1:${this.target.port}\r\nUser-Agent: tend-check\r\n\r\n`,
      );
    });
  }

  private open(): Socket {
    const socket = connect({ host: '127.0.0.1', port: this.target.port });
    socket.setNoDelay(true);
    // An idle kept connection must not keep the daemon's event loop alive on its own.
    socket.unref();
    // Between checks nobody listens: an error or close then only means the next check connects again.
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
    });
    return socket;
  }
}

/**
 * The status of an HTTP/1.x answer once it is all there, and whether its connection can carry another request; or
 * 'incomplete' (more to read), or 'garbled' (not HTTP). `ended`: the connection closed, so an unframed body is complete.
 */
export function readAnswer(bytes: Buffer, ended = false): Answer | 'incomplete' | 'garbled' {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return ended || bytes.length >= MAX_ANSWER_BYTES ? 'garbled' : 'incomplete';
  const head = bytes.toString('latin1', 0, headEnd);
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!match) return 'garbled';
  const status = Number(match[1]);
  const headers = head.split('\r\n').slice(1);
  const header = (name: string): string | undefined => {
    const line = headers.find((h) => h.toLowerCase().startsWith(`${name}:`));
    return line
      ?.slice(name.length + 1)
      .trim()
      .toLowerCase();
  };
  const closes = header('connection') === 'close' || head.startsWith('HTTP/1.0');
  const length = header('content-length');
  const bodyBytes = bytes.length - (headEnd + 4);
  // 1xx, 204 and 304 have no body.
  if (status < 200 || status === 204 || status === 304) return { status, reusable: !closes && bodyBytes === 0 };
  if (length !== undefined && /^\d+$/.test(length)) {
    const expected = Number(length);
    if (bodyBytes < expected) return ended ? { status, reusable: false } : 'incomplete';
    return { status, reusable: !closes && bodyBytes === expected };
  }
  // Chunked or unframed: the status is known; the connection is not kept.
  return { status, reusable: false };
}
