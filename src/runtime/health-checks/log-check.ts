import { open, stat } from 'node:fs/promises';
import type { CheckOutcome } from './outcome.js';

/** Most new bytes of one file read per check: an app that writes faster has its older lines skipped, not the daemon slowed. */
const MAX_READ_BYTES = 1024 * 1024;

interface FilePlace {
  offset: number;
  /** The start of a line not ended yet at the last read. */
  partial: string;
}

/**
 * The `log` check: app output goes straight to its log files, not through the daemon (decision 0004), so the daemon
 * follows the files from where they ended when the check began and looks at the lines added since the last check. A
 * check passes when one of them matches. Fork instances that share one file share its lines: any instance's line counts.
 */
export class LogCheck {
  private readonly places = new Map<string, FilePlace>();
  private readonly started: Promise<void>;

  constructor(
    private readonly files: readonly string[],
    private readonly pattern: RegExp,
    starts?: ReadonlyMap<string, number>,
  ) {
    this.started = Promise.all(
      files.map(async (file) => {
        this.places.set(file, { offset: starts?.get(file) ?? (await sizeOf(file)), partial: '' });
      }),
    ).then(() => undefined);
  }

  /** Reads what was added to the files since the last call and tells whether a line matched. */
  async check(): Promise<CheckOutcome> {
    await this.started;
    if (this.files.length === 0) return { ok: false, message: "the app's output is discarded; no line to match" };
    let lines = 0;
    for (const file of this.files) {
      const place = this.places.get(file) ?? { offset: 0, partial: '' };
      const added = await readAdded(file, place);
      this.places.set(file, added.place);
      for (const line of added.lines) {
        lines += 1;
        if (this.pattern.test(line)) return { ok: true, message: `line matched: ${line.slice(0, 120)}` };
      }
    }
    const what = lines === 0 ? 'no new line' : `none of ${lines} new lines`;
    return { ok: false, message: `${what} matched /${this.pattern.source}/` };
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readAdded(file: string, place: FilePlace): Promise<{ lines: string[]; place: FilePlace }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const size = (await handle.stat()).size;
    // Smaller than before: rotated or truncated; it is read from its start.
    let offset = size < place.offset ? 0 : place.offset;
    let partial = size < place.offset ? '' : place.partial;
    if (size - offset > MAX_READ_BYTES) {
      offset = size - MAX_READ_BYTES;
      partial = '';
    }
    if (size === offset) return { lines: [], place: { offset, partial } };
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const text = partial + buffer.subarray(0, bytesRead).toString('utf8');
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    return { lines, place: { offset: offset + bytesRead, partial: rest.slice(-MAX_READ_BYTES) } };
  } catch {
    // Not there yet (nothing written), or gone: nothing new.
    return { lines: [], place };
  } finally {
    await handle?.close();
  }
}
