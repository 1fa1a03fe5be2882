import type { AppSpec, LogSpec, RotateSpec } from '../config/types.js';
import type { LineFormat } from './line-format.js';

/** One of the app's streams, as the writer receives it: its fd in the writer, and the file it goes to. */
export interface WriterStream {
  fd: number;
  stream: 'out' | 'err';
  file: string;
}

/** Everything a log writer needs, passed from its launcher in the TEND_LOG_WRITER variable. */
export interface WriterConfig {
  home: string;
  app: string;
  instance: number;
  streams: WriterStream[];
  /** null: lines are written as the app wrote them (the writer is there for rotation). */
  format: LineFormat | null;
  rotate: RotateSpec | null;
  /** `log_file`: every line of every stream also goes to this file; absent or null: none. */
  combined?: string | null;
}

/** The variable the writer reads its config from. */
export const WRITER_CONFIG_VAR = 'TEND_LOG_WRITER';

/** Only what needs to see each line goes through a writer; everything else keeps the direct O_APPEND path. */
export function needsWriter(logs: LogSpec): boolean {
  // Two files from one stream (its own and `log_file`) need someone to copy each line: a fd goes to one file.
  if (logs.combined !== undefined) return true;
  if (logs.out === null && logs.err === null) return false;
  return logs.dateFormat !== undefined || logs.json === true || logs.rotate !== undefined;
}

/** The writer's config for one instance whose files are `files` (fd 3 carries stdout, fd 4 stderr). */
export function writerConfigFor(
  spec: AppSpec,
  instance: number,
  files: { out: string | null; err: string | null; log?: string | null },
  home: string,
): WriterConfig {
  const streams: WriterStream[] = [];
  if (files.out !== null) streams.push({ fd: 3, stream: 'out', file: files.out });
  if (files.err !== null) streams.push({ fd: 4, stream: 'err', file: files.err });
  const { dateFormat, json, rotate } = spec.logs;
  return {
    home,
    app: spec.name,
    instance,
    streams,
    format: dateFormat === undefined && json !== true ? null : { dateFormat: dateFormat ?? null, json: json === true },
    rotate: rotate ?? null,
    combined: files.log ?? null,
  };
}
