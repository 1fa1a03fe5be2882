import { defaults } from '../core/defaults.js';
import { gzipRotated, pruneRotated } from './archive.js';
import { FileSink, SinkWriteError } from './file-sink.js';
import { lineEncoder, type LineEncoder } from './line-format.js';
import { LineSplitter } from './line-splitter.js';
import type { WriterConfig, WriterStream } from './writer-config.js';

/** The part of a readable stream the writer uses (a net.Socket on the app's pipe, or a fake in tests). */
export interface WriterInput {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
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
  /** `log_file`: the file that gets every line of every stream as well. */
  combined: FileSink | null;
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
      sink = new FileSink(file, config.rotate, {
        now: deps.now,
        onRotated: (rotated) => onRotated(rotated, file),
        onPathLost: (lost) => deps.report(`${lost} was deleted or moved while written: writing a new one at that path`),
      });
      sinks.set(file, sink);
    }
    return sink;
  };

  const combined = config.combined ? sinkFor(config.combined) : null;
  const lanes: Lane[] = config.streams.flatMap((spec) => {
    const input = inputs.get(spec.fd);
    if (!input) return [];
    const encode = config.format
      ? lineEncoder(config.format, { app: config.app, instance: config.instance, stream: spec.stream })
      : null;
    return [
      {
        spec,
        input,
        splitter: new LineSplitter(defaults.logMaxLineBytes),
        encode,
        sink: sinkFor(spec.file),
        combined,
        ended: false,
      },
    ];
  });

  // Writes the disk refused wait here, per file and in order, up to logStalledMaxBytes in all; input keeps
  // being read, so the app never blocks on a full disk: past the limit lines are dropped and counted, and a
  // note in the file says so once it can be written again.
  const trouble = new Map<FileSink, { code: string; held: Buffer[]; dropped: number }>();
  let stalledBytes = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let giveUpAt: number | null = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  // The writer's own notes read like the app's lines of the file (time prefix, JSON), marked as stderr.
  const noteEncode = config.format
    ? lineEncoder(config.format, { app: config.app, instance: config.instance, stream: 'err' })
    : null;
  const noteOf = (text: string): Buffer => Buffer.from(noteEncode === null ? text : noteEncode(text, deps.now()));

  const hold = (sink: FileSink, data: Buffer): void => {
    const state = trouble.get(sink)!;
    if (stalledBytes + data.length <= defaults.logStalledMaxBytes) {
      state.held.push(data);
      stalledBytes += data.length;
    } else {
      state.dropped += countLines(data);
    }
  };

  /** Writes what one file holds, oldest first, then the note if lines were lost; false if the disk still refuses. */
  const drain = (sink: FileSink, state: { code: string; held: Buffer[]; dropped: number }): boolean => {
    try {
      while (state.held.length > 0) {
        const data = state.held[0]!;
        try {
          sink.write(data);
        } catch (error) {
          const written = error instanceof SinkWriteError ? error.written : 0;
          state.held[0] = data.subarray(written);
          stalledBytes -= written;
          return false;
        }
        state.held.shift();
        stalledBytes -= data.length;
      }
      if (state.dropped > 0)
        sink.write(
          noteOf(`[tend] ${state.dropped} line(s) dropped while ${sink.file} could not be written (${state.code})\n`),
        );
    } catch {
      return false;
    }
    deps.report(`writing ${sink.file} again${state.dropped > 0 ? `; ${state.dropped} line(s) were dropped` : ''}`);
    return true;
  };

  const retry = (): void => {
    retryTimer = null;
    for (const [sink, state] of trouble) if (drain(sink, state)) trouble.delete(sink);
    if (trouble.size === 0) {
      maybeFinish();
      return;
    }
    // The app is gone and the disk still refuses: the writer does not wait for ever.
    if (giveUpAt !== null && deps.now() >= giveUpAt) {
      for (const [sink, state] of trouble) {
        const dropped = state.dropped + state.held.reduce((sum, data) => sum + countLines(data), 0);
        deps.report(`giving up on ${sink.file} (${state.code}): ${dropped} line(s) dropped`);
      }
      trouble.clear();
      stalledBytes = 0;
      maybeFinish();
      return;
    }
    retryTimer = setTimeout(retry, defaults.logWriteRetryMs);
  };

  const write = (sink: FileSink, data: Buffer): void => {
    if (data.length === 0) return;
    if (trouble.has(sink)) {
      hold(sink, data);
      return;
    }
    try {
      sink.write(data);
    } catch (error) {
      const code = error instanceof SinkWriteError ? error.code : 'EIO';
      const written = error instanceof SinkWriteError ? error.written : 0;
      deps.report(
        `cannot write ${sink.file} (${code}): ${(error as Error).message}; holding up to ${defaults.logStalledMaxBytes} bytes, then dropping lines until it can`,
      );
      trouble.set(sink, { code, held: [], dropped: 0 });
      hold(sink, data.subarray(written));
      if (retryTimer === null) retryTimer = setTimeout(retry, defaults.logWriteRetryMs);
    }
  };

  // The raw path writes the bytes untouched; the others decode whole lines (never a split character) and encode them.
  const toData = (lane: Lane, lines: Buffer): Buffer =>
    lane.encode === null || lines.length === 0 ? lines : Buffer.from(lane.encode(lines.toString('utf8'), deps.now()));

  const maybeFinish = (): void => {
    if (lanes.some((lane) => !lane.ended)) return;
    if (trouble.size > 0) {
      giveUpAt ??= deps.now() + defaults.logWriterGiveUpMs;
      return;
    }
    for (const sink of sinks.values()) sink.close();
    void jobs.then(finish);
  };

  for (const lane of lanes) {
    // Whole lines only, so the lines of stdout and stderr never mix inside one line of the combined file.
    const both = (data: Buffer): void => {
      write(lane.sink, data);
      if (lane.combined) write(lane.combined, data);
    };
    lane.input.on('data', (chunk: Buffer) => {
      both(toData(lane, lane.splitter.whole(chunk)));
    });
    const end = (): void => {
      if (lane.ended) return;
      lane.ended = true;
      // A last line without its newline is kept, and ended, so the next run starts on a line of its own.
      const rest = lane.splitter.end();
      if (rest !== null) both(toData(lane, Buffer.concat([rest, Buffer.from('\n')])));
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

function countLines(data: Buffer): number {
  let lines = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) lines += 1;
  return lines;
}
