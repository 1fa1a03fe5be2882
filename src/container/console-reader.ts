import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { LineSplitter } from '../logs/line-splitter.js';
import type { ConsoleFormat } from './args.js';
import { formatConsoleLine, type LineSource } from './console-line.js';

/** A line longer than this is cut: memory stays bounded whatever an app writes. */
const MAX_LINE_BYTES = 64 * 1024;
/** A partial line (a prompt, a progress dot) is printed once the app has written nothing more for this long. */
const PARTIAL_LINE_MS = 200;

/** Where printed lines go: tend-runtime's stdout or stderr. */
export type ConsoleSink = (text: string) => void;

/**
 * Reads one FIFO and prints its lines, whole: each write to the sink holds complete lines only, so the lines of two
 * apps never mix within a line. The FIFO is opened read-write: its apps' opens never block waiting for a reader, and
 * an app that exits (or restarts) is no end of the stream.
 */
export class ConsoleReader {
  private readonly splitter = new LineSplitter(MAX_LINE_BYTES);
  private readonly socket: Socket;
  private partialTimer: NodeJS.Timeout | null = null;
  /** When the last bytes came: `drained` waits for the FIFO to go quiet. */
  private lastDataAt = 0;

  constructor(
    fifo: string,
    private readonly source: LineSource,
    private readonly format: ConsoleFormat,
    private readonly width: number,
    private readonly sink: ConsoleSink,
  ) {
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      this.socket = new Socket({ fd, readable: true, writable: false });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A read error ends this stream only; the runtime and the other apps go on.
    this.socket.on('error', () => undefined);
  }

  /** Prints what is still held and stops reading; the runtime calls it once every app has stopped. */
  close(): void {
    this.flushPartial();
    this.socket.destroy();
  }

  /**
   * Resolves once nothing has come for `quietMs` (at most `maxMs`): the last lines of apps that just exited may still
   * sit in the FIFO, and closing now would lose them.
   */
  async drained(quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && Date.now() - this.lastDataAt < quietMs)
      await new Promise((wake) => setTimeout(wake, quietMs));
  }

  private onData(chunk: Buffer): void {
    this.lastDataAt = Date.now();
    const whole = this.splitter.whole(chunk);
    if (whole.length > 0) this.print(whole.toString('utf8').split('\n').slice(0, -1));
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = this.splitter.held > 0 ? setTimeout(() => this.flushPartial(), PARTIAL_LINE_MS) : null;
    this.partialTimer?.unref();
  }

  private flushPartial(): void {
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = null;
    const rest = this.splitter.end();
    if (rest !== null) this.print([rest.toString('utf8')]);
  }

  private print(lines: string[]): void {
    const now = new Date();
    let text = '';
    for (const line of lines)
      text += formatConsoleLine(
        this.format,
        this.source,
        line.endsWith('\r') ? line.slice(0, -1) : line,
        this.width,
        now,
      );
    this.sink(text);
  }
}
