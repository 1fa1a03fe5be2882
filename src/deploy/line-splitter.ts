/** Cuts a stream's chunks into lines; the last, unfinished line waits for the next chunk or for `end`. */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  end(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
