/**
 * Newline-delimited JSON, the framing of every socket tend speaks on (the control socket, the probes' socket, the cluster
 * primaries'): one JSON value per line. Pure and small, as the probe inside every app bundles it; no I/O here.
 */

/** One line of the wire, so every writer frames alike: JSON.stringify never writes a raw newline, the '\n' ends it. */
export function encodeLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** What one line of a stream turned out to be: each reader decides itself how to answer garbage or an over-long line. */
export type NdjsonLine =
  | { kind: 'message'; message: unknown }
  /**
   * A line longer than the limit, reported once, as soon as it passes the limit (a peer that never sends its newline is
   * still found out); `bytes` is how much of it had come then. Its rest is dropped up to its newline.
   */
  | { kind: 'too-long'; bytes: number }
  | { kind: 'invalid-json'; error: Error };

/** How a decoder bounds its memory: each socket has its own idea of the longest line worth reading. */
export interface NdjsonDecoderOptions {
  /** Longest line in bytes, its newline not counted; `Infinity` for a peer that is trusted and unbounded. */
  maxLineBytes: number;
}

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into JSON values, one per line, whatever the chunks: it splits on the newline byte, which never
 * occurs inside a multi-byte UTF-8 character, so a character cut between chunks decodes whole. Empty and blank lines
 * are skipped; a CR before the newline is JSON whitespace. A partial line is kept as its chunks, scanned once.
 */
export class NdjsonDecoder {
  private readonly maxLineBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** The line in progress passed the limit and was reported: its bytes are dropped up to the next newline. */
  private discarding = false;

  constructor(options: NdjsonDecoderOptions) {
    this.maxLineBytes = options.maxLineBytes;
  }

  /** The lines that `chunk` completes, in order; a string is taken as UTF-8. */
  push(chunk: Buffer | string): NdjsonLine[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const lines: NdjsonLine[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      this.completeLine(bytes, start, nl, lines);
      start = nl + 1;
    }
    if (start < bytes.length && !this.discarding) {
      const size = this.partBytes + bytes.length - start;
      if (size > this.maxLineBytes) {
        lines.push({ kind: 'too-long', bytes: size });
        this.clear();
        this.discarding = true;
      } else {
        this.parts.push(bytes.subarray(start));
        this.partBytes = size;
      }
    }
    return lines;
  }

  /** The stream closed: its last line, sent without a newline, if any (a client that half-closes after its request). */
  end(): NdjsonLine[] {
    const lines: NdjsonLine[] = [];
    if (!this.discarding && this.partBytes > 0) parseInto(Buffer.concat(this.parts).toString('utf8'), lines);
    this.clear();
    this.discarding = false;
    return lines;
  }

  /** Bytes held of a line whose newline has not come yet (0 while an over-long line is dropped). */
  get pending(): number {
    return this.partBytes;
  }

  private completeLine(bytes: Buffer, start: number, end: number, lines: NdjsonLine[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const size = this.partBytes + end - start;
    if (size > this.maxLineBytes) lines.push({ kind: 'too-long', bytes: size });
    else if (this.parts.length === 0) parseInto(bytes.toString('utf8', start, end), lines);
    else {
      this.parts.push(bytes.subarray(start, end));
      parseInto(Buffer.concat(this.parts, size).toString('utf8'), lines);
    }
    this.clear();
  }

  private clear(): void {
    this.parts = [];
    this.partBytes = 0;
  }
}

function parseInto(text: string, lines: NdjsonLine[]): void {
  if (text.length === 0) return;
  try {
    lines.push({ kind: 'message', message: JSON.parse(text) });
  } catch (error) {
    // Checked only on failure: a line of spaces or a lone CR is not garbage, just nothing.
    if (text.trim().length > 0) lines.push({ kind: 'invalid-json', error: error as Error });
  }
}
