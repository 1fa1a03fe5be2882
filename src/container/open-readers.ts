import type { DesiredState } from '../config/types.js';
import type { RuntimeArgs } from './args.js';
import { labelOf } from './console-line.js';
import { ConsoleReader } from './console-reader.js';
import type { ConsoleStream } from './console-routes.js';

/**
 * A reader for each console FIFO, printing to this process's stdout or stderr, prefixes padded to one width. Opened
 * before any app starts: an app's open of its FIFO for writing waits until a reader has it open.
 */
export function openReaders(
  desired: DesiredState,
  streams: readonly ConsoleStream[],
  args: RuntimeArgs,
): ConsoleReader[] {
  const instancesOf = new Map(desired.apps.map((app) => [app.name, app.instances]));
  const labels = streams.map((s) => labelOf(s.app, s.instance, instancesOf.get(s.app) ?? 1));
  const width = Math.max(0, ...labels.map((label) => label.length));
  return streams.map((s, i) => {
    const sink = s.stream === 'out' ? process.stdout : process.stderr;
    const source = { label: labels[i]!, app: s.app, instance: s.instance ?? 0, stream: s.stream };
    return new ConsoleReader(s.fifo, source, args.format, width, (text) => sink.write(text));
  });
}
