import { encodeJsonLine } from '../logs/json-line.js';
import type { ConsoleFormat } from './args.js';

/** Who wrote a line: the label (`web`, `web[1]`) is what the prefixed format shows. */
export interface LineSource {
  label: string;
  app: string;
  instance: number;
  stream: 'out' | 'err';
}

/** The label of a stream: the app's name, with the instance when the app has several and the stream is its own. */
export function labelOf(app: string, instance: number | null, instances: number): string {
  return instance === null || instances <= 1 ? app : `${app}[${instance}]`;
}

/**
 * One line as tend-runtime prints it (newline included). `width` pads prefixes to one column, so the lines of
 * several apps read as a table in `docker logs`.
 */
export function formatConsoleLine(
  format: ConsoleFormat,
  source: LineSource,
  line: string,
  width: number,
  now: Date,
): string {
  switch (format) {
    case 'raw':
      return `${line}\n`;
    case 'json':
      return `${encodeJsonLine({ timestamp: now.toISOString(), app: source.app, instance: source.instance, stream: source.stream, message: line })}\n`;
    case 'prefixed':
      return `${source.label.padEnd(width)} | ${line}\n`;
  }
}
