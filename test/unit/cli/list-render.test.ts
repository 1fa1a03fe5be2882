import { describe, expect, test } from 'vitest';
import type { ProcessRow, ProcessView } from '../../../src/api/methods.js';
import { listParams, renderList } from '../../../src/cli/fast/list-render.js';

const view = (id: number, name: string, instance = 0): ProcessView =>
  ({
    id,
    name,
    instance,
    namespace: 'default',
    mode: 'fork',
    pid: 100 + id,
    status: 'online',
    restarts: 0,
    uptime_ms: 1000,
    cpu: 0,
    memory: 0,
    user: 'me',
    version: null,
    source: null,
    module: null,
    log_problem: null,
  }) as unknown as ProcessView;

/** The NAME column of each row under the header. */
const names = (views: ProcessView[]): string[] =>
  renderList(views, false)
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s+/)[1]!);

describe('the NAME column of `tend ls`', () => {
  test.each([
    { what: 'an app of one instance shows its name alone', views: [view(0, 'api')], shown: ['api'] },
    {
      what: 'every instance of an app of several shows its index, the first too',
      views: [view(0, 'web', 0), view(1, 'api'), view(2, 'web', 1)],
      shown: ['web[0]', 'api', 'web[1]'],
    },
    {
      what: 'an instance left alone at index 1 (after a scale down) still shows it',
      views: [view(3, 'web', 1)],
      shown: ['web[1]'],
    },
  ])('$what', ({ views, shown }) => {
    expect(names(views)).toEqual(shown);
  });

  test('1,000 apps of one instance each: every name alone', () => {
    const views = Array.from({ length: 1000 }, (_, i) => view(i, `idle-${i}`));
    expect(names(views)).toEqual(views.map((v) => v.name));
  });
});

/** A row as the daemon sends it for `ls`'s table (src/daemon/list-rows.ts): null fields left out. */
const row = (overrides: Partial<ProcessRow> = {}): ProcessRow => ({
  id: 7,
  name: 'api',
  namespace: 'default',
  instance: 0,
  mode: 'fork',
  pid: 1234,
  status: 'online',
  restarts: 2,
  uptime_ms: 65_000,
  cpu: 12.5,
  memory: 40 * 1024 * 1024,
  user: 'me',
  source: 'shop',
  ...overrides,
});

/** Each line of the table under its header as { column: cell }, cut at the columns' header positions. */
function cellsOf(table: string): Record<string, string>[] {
  const [header = '', ...lines] = table.split('\n');
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines
    .filter((line) => line !== '' && !line.startsWith('⚠'))
    .map((line) => Object.fromEntries(columns.map((c, i) => [c.name, line.slice(c.at, columns[i + 1]?.at).trim()])));
}

const ONLINE = {
  id: '7',
  name: 'api',
  mode: 'fork',
  pid: '1234',
  status: 'online',
  restarts: '2',
  uptime: '1m',
  cpu: '13%',
  memory: '40mb',
  user: 'me',
  version: '-',
  source: 'shop',
};

describe('what each column of `tend ls` shows for a row', () => {
  test.each([
    { what: 'an online process', row: row(), cells: ONLINE },
    {
      what: 'a stopped one: no pid, and no uptime, cpu or memory',
      row: row({ status: 'stopped', pid: null, uptime_ms: 0, cpu: 0, memory: 0 }),
      cells: { ...ONLINE, pid: '-', status: 'stopped', uptime: '-', cpu: '-', memory: '-' },
    },
    {
      what: 'online, its readiness check not passed yet: starting',
      row: row({ ready: false }),
      cells: { ...ONLINE, status: 'starting' },
    },
    { what: 'online and ready', row: row({ ready: true }), cells: ONLINE },
    {
      what: 'online, its liveness check failing: unhealthy',
      row: row({ health: 'failing' }),
      cells: { ...ONLINE, status: 'unhealthy' },
    },
    {
      what: "a module's app, named after another module",
      row: row({ name: 'tend-logrotate', module: 'logrotate' }),
      cells: { ...ONLINE, name: 'tend-logrotate (module logrotate)' },
    },
    { what: 'a version from package.json', row: row({ version: '1.2.0' }), cells: { ...ONLINE, version: '1.2.0' } },
    {
      what: 'no owner (an app from before owners; an older daemon)',
      row: row({ source: undefined }),
      cells: { ...ONLINE, source: '-' },
    },
    {
      what: 'a control character in a name is shown, not sent',
      row: row({ name: 'evil\u001b]0;x\u0007' }),
      cells: { ...ONLINE, name: 'evil\\x1b]0;x\\x07' },
    },
  ])('$what', ({ row: r, cells }) => {
    expect(cellsOf(renderList([r], false))).toEqual([cells]);
  });

  test('a log problem is said under the table, with the instance and its id', () => {
    const table = renderList([row({ log_problem: 'no space left on the disk of /var/log' })], false);
    expect(table.split('\n').at(-1)).toBe('⚠ api[0] (id 7): logs: no space left on the disk of /var/log');
  });

  test("a full view (an older daemon's answer to the same request) gives the same table as its row", () => {
    const full: ProcessView = {
      ...row(),
      version: null,
      module: null,
      ready: null,
      health: null,
      log_problem: null,
      unstable_restarts: 0,
      exit_code: null,
      exit_signal: null,
      restart_reason: null,
      error: null,
      created_at: 1,
      status_since: 1,
      next_restart_at: null,
      pm_out_log_path: '/home/me/.tend/logs/api-out.log',
      pm_err_log_path: '/home/me/.tend/logs/api-error.log',
      script: '/srv/api/index.js',
      args: [],
      interpreter: 'node',
      interpreter_args: [],
      cwd: '/srv/api',
      watch: false,
      owner: { key: 'project:shop', project: 'shop', at: 1, user: 'me' },
    };
    expect(renderList([full, row({ id: 8, name: 'web' })], false)).toBe(
      renderList([row(), row({ id: 8, name: 'web' })], false),
    );
  });
});

describe('what `tend ls` asks the daemon for', () => {
  test.each([
    { what: 'the table: its rows only', options: {}, params: { table: true } },
    {
      what: 'a pattern or --sort changes nothing',
      options: { pattern: 'api-*', sort: 'cpu' },
      params: { table: true },
    },
    { what: '--project: rows with their owner', options: { project: 'shop' }, params: { table: true, owners: true } },
    { what: '--file: rows with their owner', options: { file: '/srv/eco.yml' }, params: { table: true, owners: true } },
    { what: '--json: every field (no params)', options: { json: true }, params: undefined },
    { what: '--json --project: every field', options: { json: true, project: 'shop' }, params: undefined },
  ])('$what', ({ options, params }) => {
    expect(listParams(options)).toEqual(params);
  });
});
