import type { ServerResponse } from 'node:http';

/** A client that has this much unsent data is too slow to follow the stream and is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The open Server-Sent-Events streams: one per page, all fed from the daemon's own timer and events. */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();

  get size(): number {
    return this.clients.size;
  }

  /** Turns a response into an event stream; `onClose` runs when the page goes away. */
  open(res: ServerResponse, onClose: () => void): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      onClose();
    });
  }

  send(res: ServerResponse, event: string, data: unknown): void {
    this.write(res, frame(event, data));
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.clients) this.write(res, text);
  }

  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  }
}

/** One event; JSON never holds a raw newline, so the data fits one `data:` line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
