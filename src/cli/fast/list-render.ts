// How `tend ls` shows the daemon's list. Shared by the `ls` command and its fast path, which dist/cli.cjs inlines as
// CommonJS: nothing imported here may reach import.meta (the CLI's context does), or the build fails.
import type { ListParams, ProcessRow } from '../../api/methods.js';
import { TendError } from '../../core/errors.js';
import { formatBytes, formatDuration, paint, renderTable, statusStyle, terminalSafe, useColor } from '../output.js';
import { filterViews, summaryLine } from './list-filter.js';

const SORT_KEYS: Record<string, (p: ProcessRow) => number | string> = {
  name: (p) => p.name,
  id: (p) => p.id,
  pid: (p) => p.pid ?? 0,
  cpu: (p) => p.cpu,
  memory: (p) => p.memory,
  status: (p) => p.status,
  uptime: (p) => p.uptime_ms,
  restarts: (p) => p.restarts,
};

export interface ListOptions {
  json?: boolean;
  sort?: string;
  /** Only the processes it names: a name, namespace or id, a glob (`api-*`), or `/regex/`. */
  pattern?: string;
  /** Only the apps a project (`--project`) or a file (`--file`, any path to it) applied. */
  project?: string;
  file?: string;
}

/**
 * What `ls` asks the daemon for: the table's rows only, or (`--json`) every field of every process. A daemon from before
 * rows answers the views either way, which the table reads as rows.
 */
export function listParams(options: ListOptions): ListParams | undefined {
  if (options.json) return undefined;
  return options.project === undefined && options.file === undefined ? { table: true } : { table: true, owners: true };
}

/**
 * What `ls` prints for the daemon's answer to `listParams(options)`; throws a USAGE error, having printed nothing, for a
 * bad --sort.
 */
export function printList(views: readonly ProcessRow[], options: ListOptions): number {
  const shown = filterByOwner(filterViews(views, options.pattern), options);
  const sorted = sortViews(shown, options.sort);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(sorted)}\n`);
    return 0;
  }
  if (views.length > 0 && shown.length === 0) {
    const asked = [
      options.pattern === undefined ? '' : `\`${options.pattern}\``,
      options.project === undefined ? '' : `--project ${options.project}`,
      options.file === undefined ? '' : `--file ${options.file}`,
    ].filter(Boolean);
    process.stdout.write(`No process matches ${terminalSafe(asked.join(' '), false)} (of ${views.length}).\n`);
    return 0;
  }
  const summary = views.length > 0 ? `\n${summaryLine(shown, views.length)}` : '';
  process.stdout.write(`${renderList(sorted, useColor())}${summary}\n`);
  return 0;
}

function filterByOwner(views: ProcessRow[], options: ListOptions): ProcessRow[] {
  const { project, file } = options;
  if (project === undefined && file === undefined) return views;
  return views.filter(
    (v) => (project === undefined || v.owner?.project === project) && (file === undefined || v.owner?.file === file),
  );
}

export function sortViews<T extends ProcessRow>(views: T[], sort: string | undefined): T[] {
  if (!sort) return views;
  const [field = '', direction = 'asc'] = sort.split(':');
  const key = SORT_KEYS[field];
  if (!key)
    throw new TendError('USAGE', `cannot sort by \`${field}\`; use one of ${Object.keys(SORT_KEYS).join(', ')}`);
  if (direction !== 'asc' && direction !== 'desc')
    throw new TendError('USAGE', `sort direction is asc or desc, not \`${direction}\``);
  const sign = direction === 'desc' ? -1 : 1;
  return [...views].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

export function renderList(views: readonly ProcessRow[], color: boolean): string {
  if (views.length === 0) return 'No processes. Start one with `tend start app.js` or `tend apply ecosystem.yml`.';
  // SOURCE last: scripts that cut PM2-like columns by position keep finding theirs.
  const headers = [
    'id',
    'name',
    'mode',
    'pid',
    'status',
    'restarts',
    'uptime',
    'cpu',
    'memory',
    'user',
    'version',
    'source',
  ];
  // Counted once: a search of the whole list for each row took 14 ms of a 1,000-app `ls`.
  const instancesOf = new Map<string, number>();
  for (const v of views) instancesOf.set(v.name, (instancesOf.get(v.name) ?? 0) + 1);
  const rows = views.map((v) => [
    String(v.id),
    terminalSafe(
      (v.instance > 0 || instancesOf.get(v.name)! > 1 ? `${v.name}[${v.instance}]` : v.name) + moduleMark(v),
      false,
    ),
    v.mode,
    v.pid === null ? '-' : String(v.pid),
    paint(shownStatus(v), statusStyle(shownStatus(v)), color),
    String(v.restarts),
    v.status === 'online' ? formatDuration(v.uptime_ms) : '-',
    v.status === 'online' ? `${Math.round(v.cpu)}%` : '-',
    v.status === 'online' ? formatBytes(v.memory) : '-',
    v.user,
    v.version ?? '-',
    terminalSafe(v.source ?? '-', false),
  ]);
  return renderTable(headers, rows, color) + logTrouble(views, color);
}

/** After the name of a module's app (`tend install`): ` (module)`, or ` (module NAME)` when the names differ. */
export function moduleMark(v: Pick<ProcessRow, 'name' | 'module'>): string {
  if (!v.module) return '';
  return v.module === v.name ? ' (module)' : ` (module ${v.module})`;
}

/**
 * The status column: an online instance whose readiness check has not passed yet is "starting", one whose liveness
 * check is failing is "unhealthy"; `--json` keeps the machine's status (PM2 scripts read `online`) and says it in
 * `ready` and `health`.
 */
export function shownStatus(v: ProcessRow): string {
  if (v.status !== 'online') return v.status;
  if (v.ready === false) return 'starting';
  if (v.health === 'failing') return 'unhealthy';
  return v.status;
}

// Under the table, not in a column: rare, and it needs room to say which file and why.
function logTrouble(views: readonly ProcessRow[], color: boolean): string {
  const lines = views
    .filter((v) => v.log_problem)
    .map(
      (v) => `
${paint('⚠', 'red', color)} ${v.name}[${v.instance}] (id ${v.id}): logs: ${v.log_problem}`,
    );
  return lines.join('');
}
