/** One line of a `log_type: json` file; the field names are the ones `tend logs --json` prints. */
export interface JsonLogLine {
  timestamp: string;
  app: string;
  instance: number;
  stream: 'out' | 'err';
  message: string;
}

/** Encodes one line as JSON: a message with quotes, newlines or control characters stays on one line. */
export function encodeJsonLine(line: JsonLogLine): string {
  return JSON.stringify({
    timestamp: line.timestamp,
    app: line.app,
    instance: line.instance,
    stream: line.stream,
    message: line.message,
  });
}

/** Reads back a line written by encodeJsonLine; anything else (a raw line, a half-written one) is null, so it is shown as text. */
export function parseJsonLine(text: string): JsonLogLine | null {
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  if (typeof record.message !== 'string' || typeof record.timestamp !== 'string') return null;
  return {
    timestamp: record.timestamp,
    app: typeof record.app === 'string' ? record.app : '',
    instance: typeof record.instance === 'number' ? record.instance : 0,
    stream: record.stream === 'err' ? 'err' : 'out',
    message: record.message,
  };
}
