import type { ProcessView } from '../../api/methods.js';
import { formatBytes, formatDuration, statusStyle } from '../output.js';
import { tone } from './ansi.js';
import type { Samples } from './monit-samples.js';
import { metricPairs } from './metrics.js';
import { scrollOffset } from './selection.js';
import { cpuRange, memoryRange, sparkline } from './sparkline.js';
import { fitWidth, visibleWidth } from './text.js';

export interface LogLine {
  /** `note`: tend's own line in the log box, such as which file the old lines come from. */
  stream: 'out' | 'err' | 'note';
  text: string;
}

/** Everything one frame shows; the renderer reads nothing else, so a frame is a pure function of it. */
export interface MonitView {
  views: readonly ProcessView[];
  selectedId: number | null;
  history: (id: number) => Samples;
  logs: readonly LogLine[];
  message: { text: string; kind: 'info' | 'error' } | null;
  now: number;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

const HINTS = '↑↓/jk select  r restart  s stop  q quit';
/** Below this many log lines the logs box is not worth its title. */
const MIN_LOG_ROWS = 3;
const MAX_SPARK = 30;
const MIN_SPARK = 6;

/** One screen, exactly `rows` lines of exactly `columns` cells: title, process list, details, logs, footer. */
export function renderScreen(view: MonitView, size: ScreenSize, color: boolean): string[] {
  const width = Math.max(1, size.columns);
  const height = Math.max(1, size.rows);
  const lines: string[] = [titleLine(view, width, color)];
  const listed = Math.max(1, view.views.length);
  const details = detailLines(view, width, color);
  // Title, list header and footer always show; the list gets at least 3 rows (or all there are),
  // and at most half the rest when details and logs need the room.
  const available = height - 3;
  const block = 2 + details.length + MIN_LOG_ROWS;
  const listRows = Math.max(
    0,
    Math.min(listed, available, Math.max(Math.min(listed, 3), Math.min(available - block, Math.ceil(available / 2)))),
  );
  if (height >= 3) {
    lines.push(...listLines(view, width, listRows, color));
    const rest = available - listRows;
    const selected = view.views.find((v) => v.id === view.selectedId);
    if (selected && rest >= 1 + details.length) {
      lines.push(rule(`${displayName(selected, view.views)} · id ${selected.id}`, width, color));
      lines.push(...details);
      const logRows = rest - 1 - details.length - 1;
      if (logRows >= 1) {
        lines.push(rule('logs', width, color));
        lines.push(...logLines(view.logs, width, logRows, color));
      }
    }
  }
  while (lines.length < height - 1) lines.push('');
  if (height >= 2) lines.push(footerLine(view, width, color));
  return lines.slice(0, height).map((line) => fitWidth(line, width));
}

function titleLine(view: MonitView, width: number, color: boolean): string {
  const online = view.views.filter((v) => v.status === 'online').length;
  const count = view.views.length;
  const clock = new Date(view.now).toTimeString().slice(0, 8);
  const text = ` tend monit · ${count} process${count === 1 ? '' : 'es'} · ${online} online · ${clock}`;
  return tone(fitWidth(text, width), ['inverse', 'bold'], color);
}

function footerLine(view: MonitView, width: number, color: boolean): string {
  // A message that needs the room pushes the full key hints out.
  const needed = view.message ? visibleWidth(view.message.text) + 2 : 12;
  const hints = width >= HINTS.length + needed ? HINTS : 'q quit';
  const leftWidth = Math.max(0, width - hints.length - 1);
  const left = view.message
    ? tone(fitWidth(` ${view.message.text}`, leftWidth), view.message.kind === 'error' ? 'red' : 'cyan', color)
    : fitWidth('', leftWidth);
  return `${left} ${tone(hints, 'dim', color)}`;
}

function rule(title: string, width: number, color: boolean): string {
  const head = `── ${title} `;
  const line = head + '─'.repeat(Math.max(0, width - visibleWidth(head)));
  return tone(fitWidth(line, width), 'cyan', color);
}

interface Columns {
  id: number;
  name: number;
  /** Cells of each sparkline; 0 drops both history columns. */
  spark: number;
  restarts: boolean;
  uptime: boolean;
}

/** Narrowest name column before less important columns make room for it. */
const MIN_NAME = 8;

/**
 * Column widths for a terminal this wide: the sparklines shrink, then go; then uptime and
 * restarts go, before names are cut to nothing.
 */
export function columnsFor(views: readonly ProcessView[], width: number): Columns {
  const id = Math.max(2, ...views.map((v) => String(v.id).length));
  // Every cell but the name, with the space that follows it: marker and id, status, cpu, memory, restarts, uptime.
  let fixed = 2 + id + 1 + 10 + 5 + 7 + 4 + 6;
  let restarts = true;
  let uptime = true;
  const longest = Math.max(4, ...views.map((v) => displayName(v, views).length));
  const name = Math.min(Math.max(longest, MIN_NAME), 24);
  const spark = Math.min(MAX_SPARK, Math.floor((width - fixed - name - 1 - 2) / 2));
  // The name's own trailing space is the `- 1`.
  if (spark >= MIN_SPARK)
    return { id, name: Math.max(name, width - fixed - 1 - 2 * (spark + 1)), spark, restarts, uptime };
  if (width - fixed - 1 < MIN_NAME) {
    uptime = false;
    fixed -= 7;
  }
  if (width - fixed - 1 < MIN_NAME) {
    restarts = false;
    fixed -= 4;
  }
  return { id, name: Math.max(1, width - fixed - 1), spark: 0, restarts, uptime };
}

function listLines(view: MonitView, width: number, rows: number, color: boolean): string[] {
  const cols = columnsFor(view.views, width);
  const wide = cols.spark >= 14;
  const sparkCell = (label: string): string[] => (cols.spark > 0 ? [fitWidth(label, cols.spark)] : []);
  const header = [
    `  ${fitWidth('id', cols.id)}`,
    fitWidth('name', cols.name),
    fitWidth('status', 9),
    fitWidth('cpu', 4, 'right'),
    ...sparkCell(wide ? 'cpu history' : 'cpu'),
    fitWidth(wide || cols.spark === 0 ? 'memory' : 'mem', 6, 'right'),
    ...sparkCell(wide ? 'memory history' : 'mem'),
    ...(cols.restarts ? [fitWidth('↺', 3, 'right')] : []),
    ...(cols.uptime ? [fitWidth('uptime', 6, 'right')] : []),
  ].join(' ');
  const lines = [tone(fitWidth(header, width), 'bold', color)];
  if (rows <= 0) return lines;
  if (view.views.length === 0) {
    lines.push(
      tone(
        fitWidth('  No processes. Start one with `tend start app.js` or `tend apply ecosystem.yml`.', width),
        'dim',
        color,
      ),
    );
    return lines;
  }
  const selectedIndex = Math.max(
    0,
    view.views.findIndex((v) => v.id === view.selectedId),
  );
  const offset = scrollOffset(view.views.length, selectedIndex, rows);
  for (const v of view.views.slice(offset, offset + rows)) {
    const selected = v.id === view.selectedId;
    const paintCells = color && !selected;
    const online = v.status === 'online';
    const samples = view.history(v.id);
    const cells = [
      (selected ? '> ' : '  ') + fitWidth(String(v.id), cols.id),
      fitWidth(displayName(v, view.views), cols.name),
      tone(fitWidth(v.status === 'waiting-restart' ? 'waiting' : v.status, 9), statusStyle(v.status), paintCells),
      fitWidth(online ? `${Math.round(v.cpu)}%` : '-', 4, 'right'),
      ...(cols.spark > 0
        ? [tone(sparkline(samples.cpu, cols.spark, cpuRange(samples.cpu.slice(-cols.spark))), 'green', paintCells)]
        : []),
      fitWidth(online ? formatBytes(v.memory) : '-', 6, 'right'),
      ...(cols.spark > 0
        ? [
            tone(
              sparkline(samples.memory, cols.spark, memoryRange(samples.memory.slice(-cols.spark))),
              'blue',
              paintCells,
            ),
          ]
        : []),
      ...(cols.restarts ? [fitWidth(String(v.restarts), 3, 'right')] : []),
      ...(cols.uptime ? [fitWidth(online ? formatDuration(v.uptime_ms) : '-', 6, 'right')] : []),
    ];
    const row = fitWidth(cells.join(' '), width);
    lines.push(selected ? tone(row, 'inverse', color) : row);
  }
  return lines;
}

function detailLines(view: MonitView, width: number, color: boolean): string[] {
  const v = view.views.find((p) => p.id === view.selectedId);
  if (!v) return [];
  const online = v.status === 'online';
  const label = (text: string): string => tone(text, 'dim', color);
  const facts: Pair[] = [
    ['status', v.status, tone(v.status, statusStyle(v.status), color)],
    ['pid', v.pid === null ? '-' : String(v.pid)],
    ['uptime', online ? formatDuration(v.uptime_ms) : '-'],
    ['restarts', `${v.restarts}${v.unstable_restarts > 0 ? ` (${v.unstable_restarts} unstable)` : ''}`],
    v.exit_code === null && v.exit_signal
      ? ['exit signal', v.exit_signal]
      : ['exit code', v.exit_code === null ? '-' : String(v.exit_code)],
    ['mode', v.mode],
    ['cpu', online ? `${Math.round(v.cpu)}%` : '-'],
    ['memory', online ? formatBytes(v.memory) : '-'],
  ];
  if (v.restart_reason) facts.push(['last restart', v.restart_reason]);
  if (v.next_restart_at !== null)
    facts.push(['next start in', formatDuration(Math.max(0, v.next_restart_at - view.now))]);
  if (v.error) facts.push(['error', v.error, tone(v.error, 'red', color)]);
  const lines = [
    ...wrapPairs(facts, width, label, '', 3),
    ` ${label('out')} ${v.pm_out_log_path ?? '-'}`,
    ` ${label('err')} ${v.pm_err_log_path ?? '-'}`,
  ];
  const metrics = metricPairs((v as ProcessView & { metrics?: unknown }).metrics).map(([k, value]): Pair => [k, value]);
  if (metrics.length > 0) lines.push(...wrapPairs(metrics, width, label, 'metrics', 3));
  return lines.map((line) => fitWidth(line, width));
}

/** A name, its value as measured, and optionally the value painted. */
type Pair = [string, string, string?];

/**
 * `name value` pairs filling lines greedily, at most `maxLines` of them; what does not fitWidth is
 * counted at the end rather than dropped silently. `lead` names the group on its first line.
 */
function wrapPairs(
  pairs: Pair[],
  width: number,
  label: (text: string) => string,
  lead: string,
  maxLines: number,
): string[] {
  const indent = lead ? lead.length + 1 : 0;
  const lines: string[] = [];
  let current = lead ? ` ${label(lead)}` : '';
  let used = lead ? indent : 0;
  for (let i = 0; i < pairs.length; i++) {
    const [name, plain, painted] = pairs[i]!;
    const cellWidth = 3 + name.length + 1 + visibleWidth(plain);
    if (used + cellWidth > width && used > indent) {
      if (lines.length === maxLines - 1) {
        current += label(`   +${pairs.length - i} more (tend show)`);
        break;
      }
      lines.push(current);
      current = ' '.repeat(indent);
      used = indent;
    }
    const gap = used === 0 ? ' ' : '   ';
    current += `${gap}${label(name)} ${painted ?? plain}`;
    used += cellWidth - 3 + gap.length;
  }
  lines.push(current);
  return lines;
}

function logLines(logs: readonly LogLine[], width: number, rows: number, color: boolean): string[] {
  const shown = logs.slice(-rows);
  const lines = shown.map((line) => {
    if (line.stream === 'err') return `${tone(' err ', 'red', color)}${tone(line.text, 'red', color)}`;
    if (line.stream === 'note') return tone(` ··· ${line.text}`, 'dim', color);
    return `     ${line.text}`;
  });
  if (logs.length === 0) lines.push(tone('     (no log lines yet)', 'dim', color));
  while (lines.length < rows) lines.push('');
  return lines.map((line) => fitWidth(line, width));
}

/** `name[instance]` when an app has several instances, as `tend ls` writes it. */
export function displayName(v: ProcessView, all: readonly ProcessView[]): string {
  return v.instance > 0 || all.some((o) => o.name === v.name && o.id !== v.id) ? `${v.name}[${v.instance}]` : v.name;
}
