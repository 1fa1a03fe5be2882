import { encodeJsonLine } from './json-line.js';
import { cachedFormatter } from './timestamp.js';

/** How the writer turns each line of an app's output into a line of its log file. */
export interface LineFormat {
  /** day.js format of the time prefix (or of the JSON `timestamp`); null: no prefix, ISO time in JSON. */
  dateFormat: string | null;
  json: boolean;
}

/** Which stream of which instance the lines come from, for JSON lines. */
export interface StreamMeta {
  app: string;
  instance: number;
  stream: 'out' | 'err';
}

/** From whole lines (each ending in `\n`, as LineSplitter.whole gives them) to the text written, with one time for the chunk. */
export type LineEncoder = (lines: string, nowMs: number) => string;

// A CR before the newline is the line end of a Windows-style program, not part of the message.
const withoutCr = (text: string): string => (text.includes('\r') ? text.replaceAll('\r\n', '\n') : text);

/**
 * Builds the encoder of one stream: PM2's `<date>: <line>` prefix, or one JSON object per line. It
 * works on the chunk's text as a whole (one replace, one split), not line by line: a burst of a
 * million lines costs a few native string operations per 64 KB chunk.
 */
export function lineEncoder(format: LineFormat, meta: StreamMeta): LineEncoder {
  const stamp =
    format.dateFormat === null ? (ms: number) => new Date(ms).toISOString() : cachedFormatter(format.dateFormat);
  if (format.json) {
    return (lines, nowMs) => {
      // Everything but the message is the same for the whole chunk: encoded once, the message spliced in.
      const head = encodeJsonLine({
        timestamp: stamp(nowMs),
        app: meta.app,
        instance: meta.instance,
        stream: meta.stream,
        message: '',
      }).slice(0, -3);
      const parts = withoutCr(lines).split('\n');
      parts.pop();
      return `${parts.map((message) => `${head}${JSON.stringify(message)}}`).join('\n')}\n`;
    };
  }
  return (lines, nowMs) => {
    const prefix = `${stamp(nowMs)}: `;
    const body = withoutCr(lines);
    return `${prefix}${body.slice(0, -1).replaceAll('\n', `\n${prefix}`)}\n`;
  };
}
