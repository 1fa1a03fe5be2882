const NEWLINE = 0x0a;
const CR = 0x0d;

/** Where a cut may fall in UTF-8 text: never before a continuation byte (10xxxxxx). */
function utf8Boundary(buffer: Buffer, at: number): number {
  let cut = at;
  while (cut > 0 && (buffer[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut === 0 ? at : cut;
}

/**
 * Cuts a byte stream into lines for the log writer. A partial line waits for its newline (or for the
 * end of the stream), and a line longer than `maxLineBytes` is cut there, so memory stays bounded
 * whatever the app writes.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /**
   * The chunk's complete lines as one buffer, newlines included, bytes untouched (with what was held
   * before them); a line cut at the limit gets a newline of its own. A file is rotated only between
   * two such buffers, so never in the middle of a line.
   */
  whole(chunk: Buffer): Buffer {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      const cut: Buffer[] = [];
      this.keep(chunk, cut);
      return cut.length === 0 ? Buffer.alloc(0) : Buffer.concat(cut.flatMap((line) => [line, Buffer.from('\n')]));
    }
    const head = this.take(chunk.subarray(0, last + 1));
    if (last + 1 < chunk.length) {
      const cut: Buffer[] = [];
      this.keep(chunk.subarray(last + 1), cut);
      if (cut.length > 0) return Buffer.concat([head, ...cut.flatMap((line) => [line, Buffer.from('\n')])]);
    }
    return head;
  }

  /** The partial line left when the stream ends, or null. */
  end(): Buffer | null {
    if (this.pendingBytes === 0) return null;
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return rest.length > 0 && rest[rest.length - 1] === CR ? rest.subarray(0, rest.length - 1) : rest;
  }

  /** Bytes held back waiting for a newline (never more than maxLineBytes). */
  get held(): number {
    return this.pendingBytes;
  }

  private take(tail: Buffer): Buffer {
    if (this.pendingBytes === 0) return tail;
    const line = Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  // Holds a partial line; whatever goes past maxLineBytes is cut off as lines of its own.
  private keep(part: Buffer, cut: Buffer[]): void {
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
    while (this.pendingBytes > this.maxLineBytes) {
      const all = Buffer.concat(this.pending);
      const at = utf8Boundary(all, this.maxLineBytes);
      cut.push(all.subarray(0, at));
      const rest = all.subarray(at);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }
}
