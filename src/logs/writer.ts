import { defaults } from '../core/defaults.js';
import { gzipRotated, pruneRotated } from './archive.js';
import { FileSink } from './file-sink.js';
import { lineEncoder, type LineEncoder } from './line-format.js';
import { LineSplitter } from './line-splitter.js';
import type { WriterConfig, WriterStream } from './writer-config.js';

/** The part of a readable stream the writer uses (a net.Socket on the app's pipe, or a fake in tests). */
export interface WriterInput {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

export interface WriterDeps {
  now: () => number;
  /** Where the writer's own trouble is told (a disk error, a failed compression). */
  report: (message: string) => void;
}

/** A running writer: reopen() for `tend reloadLogs`; `done` settles once every stream ended and all is on disk. */
export interface LogWriter {
  reopen(): void;
  done: Promise<void>;
}

interface Lane {
  spec: WriterStream;
  input: WriterInput;
  splitter: LineSplitter;
  encode: LineEncoder | null;
  sink: FileSink;
  ended: boolean;
}

/**
 * Copies each of an app's streams into its log file, line by line: adds the time or turns lines
 * into JSON when asked, rotates the files, and never holds more than one partial line per stream.
 */
export function startWriter(config: WriterConfig, inputs: Map<number, WriterInput>, deps: WriterDeps): LogWriter {
  let jobs: Promise<void> = Promise.resolve();
  const sinks = new Map<string, FileSink>();
  const onRotated = (rotated: string, file: string): void => {
    const rotate = config.rotate!;
    // Compression and retention run one at a time behind the writes, never in their way.
    jobs = jobs
      .then(async () => {
        if (rotate.compress) await gzipRotated(rotated);
        await pruneRotated(file, rotate.retain);
      })
      .catch((error: unknown) => deps.report(`after rotating ${file}: ${(error as Error).message}`));
  };
  const sinkFor = (file: string): FileSink => {
    let sink = sinks.get(file);
    if (!sink) {
      sink = new FileSink(file, config.rotate, { now: deps.now, onRotated: (rotated) => onRotated(rotated, file) });
      sinks.set(file, sink);
    }
    return sink;
  };

  const lanes: Lane[] = config.streams.flatMap((spec) => {
    const input = inputs.get(spec.fd);
    if (!input) return [];
    const encode = config.format ? lineEncoder(config.format, { app: config.app, instance: config.instance, stream: spec.stream }) : null;
    return [{ spec, input, splitter: new LineSplitter(defaults.logMaxLineBytes), encode, sink: sinkFor(spec.file), ended: false }];
  });

  // Writes that the disk refused wait here, in order; meanwhile no input is read, so nothing else piles up.
  const stalled: Array<{ sink: FileSink; data: Buffer }> = [];
  let retryTimer: NodeJS.Timeout | null = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const drainStalled = (): boolean => {
    while (stalled.length > 0) {
      const next = stalled[0]!;
      try {
        next.sink.write(next.data);
      } catch (error) {
        deps.report(`cannot write ${next.sink.file}: ${(error as Error).message}; retrying`);
        return false;
      }
      stalled.shift();
    }
    return true;
  };

  const retry = (): void => {
    retryTimer = null;
    if (!drainStalled()) {
      retryTimer = setTimeout(retry, defaults.logWriteRetryMs);
      return;
    }
    for (const lane of lanes) if (!lane.ended) lane.input.resume();
    maybeFinish();
  };

  const write = (sink: FileSink, data: Buffer): void => {
    if (data.length === 0) return;
    if (stalled.length > 0) {
      stalled.push({ sink, data });
      return;
    }
    try {
      sink.write(data);
    } catch (error) {
      deps.report(`cannot write ${sink.file}: ${(error as Error).message}; retrying`);
      stalled.push({ sink, data });
      for (const lane of lanes) lane.input.pause();
      retryTimer ??= setTimeout(retry, defaults.logWriteRetryMs);
    }
  };

  // The raw path writes the bytes untouched; the others decode whole lines (never a split character) and encode them.
  const toData = (lane: Lane, lines: Buffer): Buffer => (lane.encode === null || lines.length === 0 ? lines : Buffer.from(lane.encode(lines.toString('utf8'), deps.now())));

  const maybeFinish = (): void => {
    if (stalled.length > 0 || lanes.some((lane) => !lane.ended)) return;
    for (const sink of sinks.values()) sink.close();
    void jobs.then(finish);
  };

  for (const lane of lanes) {
    lane.input.on('data', (chunk: Buffer) => {
      write(lane.sink, toData(lane, lane.splitter.whole(chunk)));
    });
    const end = (): void => {
      if (lane.ended) return;
      lane.ended = true;
      // A last line without its newline is kept, and ended, so the next run starts on a line of its own.
      const rest = lane.splitter.end();
      if (rest !== null) write(lane.sink, toData(lane, Buffer.concat([rest, Buffer.from('\n')])));
      maybeFinish();
    };
    lane.input.on('end', end);
    lane.input.on('close', end);
    lane.input.on('error', (error) => {
      deps.report(`reading ${lane.spec.stream}: ${error.message}`);
      end();
    });
  }
  if (lanes.length === 0) void jobs.then(finish);

  return {
    reopen() {
      for (const sink of sinks.values()) {
        try {
          sink.reopen();
        } catch (error) {
          deps.report(`cannot reopen ${sink.file}: ${(error as Error).message}`);
        }
      }
    },
    done,
  };
}
