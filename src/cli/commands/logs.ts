import { followFile, readLastLines } from '../../runtime/log-files.js';
import type { ProcessView } from '../../api/methods.js';
import { TendError } from '../../core/errors.js';
import { parseJsonLine } from '../../logs/json-line.js';
import { withDaemon } from '../context.js';
import { selectTargets, unknownTargetsError } from '../../api/selectors.js';
import { toSelection } from '../selectors.js';
import { paint, terminalSafe, useColor } from '../output.js';

interface LogsOptions {
  lines?: string;
  err?: boolean;
  out?: boolean;
  raw?: boolean;
  nostream?: boolean;
  timestamp?: boolean;
  json?: boolean;
}

interface Source {
  file: string;
  stream: 'out' | 'err';
  view: ProcessView;
}

/**
 * `tend logs`: the files are the source of truth (apps write to them directly), so the CLI reads
 * and follows them itself; the daemon only says where they are.
 */
export async function logsCommand(target: string | undefined, options: LogsOptions): Promise<number> {
  const lines = Number(options.lines ?? 15);
  if (!Number.isInteger(lines) || lines < 0)
    throw new TendError('USAGE', `--lines needs a whole number, got \`${options.lines}\``);
  // A name, an id, `all`, a namespace, /regex/, a script path or an ecosystem file, by the daemon's rules.
  const selection = await toSelection(target === undefined ? ['all'] : [target]);
  const views = await withDaemon((client) => client.call('list', undefined));
  const { selected, unknown } = selectTargets(views, selection, (v) => v);
  if (unknown.length > 0 && (target !== undefined || views.length > 0))
    throw unknownTargetsError(
      unknown,
      views.map((v) => v.name),
    );
  if (selected.length === 0) throw new TendError('UNKNOWN_APP', 'no process to show the logs of: tend runs no app');
  const sources = collectSources(selected, options);
  const color = useColor();
  // What apps wrote reaches the terminal with its control characters made visible (colours kept on a terminal);
  // --raw gives the bytes, --json encodes them anyway.
  const safe = options.raw || options.json ? (line: string) => line : (line: string) => terminalSafe(line, color);
  const print = (source: Source, line: string): void => {
    process.stdout.write(`${formatLine(source, safe(line), options, color)}\n`);
  };
  for (const source of sources) {
    const last = await readLastLines(source.file, lines).catch(() => []);
    if (!options.raw && !options.json && last.length > 0)
      process.stdout.write(paint(`${source.file} last ${lines} lines:\n`, 'gray', color));
    for (const line of last) print(source, line);
  }
  if (options.nostream) return 0;
  const followers = sources.map((source) =>
    followFile(source.file, (chunk) => {
      for (const line of chunk) print(source, line);
    }),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const f of followers) f.close();
  return 0;
}

function collectSources(views: ProcessView[], options: LogsOptions): Source[] {
  const seen = new Set<string>();
  const sources: Source[] = [];
  for (const view of views) {
    const pairs: Array<[string | null, 'out' | 'err']> = [];
    if (!options.err) pairs.push([view.pm_out_log_path, 'out']);
    if (!options.out) pairs.push([view.pm_err_log_path, 'err']);
    for (const [file, stream] of pairs) {
      if (!file || seen.has(file)) continue;
      seen.add(file);
      sources.push({ file, stream, view });
    }
  }
  return sources;
}

// A line of a `log_type: json` file carries its own message, stream and time: it is re-emitted, never wrapped twice.
function formatLine(source: Source, line: string, options: LogsOptions, color: boolean): string {
  const record = options.raw ? null : parseJsonLine(line);
  const at = record?.timestamp ?? new Date().toISOString();
  const stream = record?.stream ?? source.stream;
  const message = record?.message ?? line;
  if (options.json) {
    return JSON.stringify({
      app: source.view.name,
      id: source.view.id,
      instance: source.view.instance,
      stream,
      message,
      ...(options.timestamp || record ? { timestamp: at } : {}),
    });
  }
  const stamp = options.timestamp ? `${at} ` : '';
  if (options.raw) return `${stamp}${line}`;
  const prefix = paint(`${source.view.id}|${source.view.name} |`, stream === 'err' ? 'red' : 'green', color);
  return `${prefix} ${stamp}${message}`;
}
