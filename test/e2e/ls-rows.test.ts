import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessView } from '../../src/api/methods.js';
import { renderList } from '../../src/cli/fast/list-render.js';
import { fixture, TendHarness } from './harness.js';

// `tend ls` asks the daemon for its table's rows only (decision 0044); `ls --json` and everything else keep the full
// record. What the user sees must not change, and a daemon from before rows (which answers with full views) must
// still be listed.

let tend: TendHarness;
let fakeDaemon: Server | null = null;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  if (fakeDaemon) await new Promise((resolve) => fakeDaemon!.close(resolve));
  fakeDaemon = null;
  await tend.teardown();
});

/** Columns whose cells do not move between two calls (uptime, cpu and memory do), cut at their header's position. */
const STABLE = ['id', 'name', 'mode', 'pid', 'status', 'restarts', 'user', 'version', 'source'];

function stableCells(stdout: string): string[][] {
  const [header = '', ...lines] = stdout.trimEnd().split('\n');
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return [header, ...lines]
    .filter((line) => !/^\d+ process/.test(line) && line !== '')
    .map((line) =>
      columns.flatMap((c, i) => (STABLE.includes(c.name) ? [line.slice(c.at, columns[i + 1]?.at).trim()] : [])),
    );
}

/** One request on the control socket, as any client may send it; the answer's `result`. */
function request(method: string, params?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(tend.home, 'tend.sock'));
    let text = '';
    socket.on('connect', () => socket.write(`${JSON.stringify({ v: 1, id: 1, method, params })}\n`));
    socket.on('data', (chunk) => {
      text += chunk;
      if (!text.endsWith('\n')) return;
      socket.destroy();
      const reply = JSON.parse(text) as { ok: boolean; result: unknown; error?: unknown };
      if (reply.ok) resolve(reply.result);
      else reject(new Error(JSON.stringify(reply.error)));
    });
    socket.on('error', reject);
  });
}

async function applyTwoApps(): Promise<string> {
  const file = tend.write(
    'eco.yml',
    `project: shop\napps:\n  - name: web\n    script: ${fixture('forever.js')}\n    instances: 2\n  - name: api\n    script: ${fixture('forever.js')}\n`,
  );
  await tend.ok(['apply', file]);
  return file;
}

describe('tend ls from the rows the daemon sends for its table', () => {
  it('prints the table the full record gives, on the fast path and through commander, --project and --file too', async () => {
    const file = await applyTwoApps();
    await tend.ok(['start', fixture('forever.js'), '--name', 'by-hand']);
    const full = JSON.parse((await tend.ok(['ls', '--json'])).stdout) as ProcessView[];
    const fromFullRecord = stableCells(renderList(full, false));
    expect(fromFullRecord.map((cells) => [cells[1], cells[8]])).toEqual([
      ['name', 'source'],
      ['web[0]', 'shop'],
      ['web[1]', 'shop'],
      ['api', 'shop'],
      ['by-hand', 'cli'],
    ]);

    const fast = await tend.ok(['ls']);
    expect(stableCells(fast.stdout)).toEqual(fromFullRecord);
    expect(fast.stdout).toMatch(/\n4 processes of 3 apps: 4 online\n$/);
    // --no-color is not a fast-path option: this one goes through commander.
    expect(stableCells((await tend.ok(['ls', '--no-color'])).stdout)).toEqual(fromFullRecord);

    const project = await tend.ok(['ls', '--project', 'shop']);
    expect(stableCells(project.stdout)).toEqual(fromFullRecord.slice(0, 4));
    expect(project.stdout).toMatch(/\n3 processes \(of 4\) of 2 apps: 3 online\n$/);
    const byFile = await tend.ok(['ls', '--file', file, '--sort', 'name']);
    expect(stableCells(byFile.stdout).map((cells) => cells[1])).toEqual(['name', 'api', 'web[0]', 'web[1]']);
    expect((await tend.ok(['ls', '--project', 'nope'])).stdout).toBe('No process matches --project nope (of 4).\n');
  });

  it('the daemon answers a table request with the rows only, a request without params with every field', async () => {
    await applyTwoApps();
    const rows = (await request('list', { table: true })) as Record<string, unknown>[];
    const views = (await request('list')) as Record<string, unknown>[];
    expect(rows.map((r) => r.name)).toEqual(['web', 'web', 'api']);
    for (const r of rows) {
      expect(r).not.toHaveProperty('pm_out_log_path');
      expect(r).not.toHaveProperty('script');
      expect(r).not.toHaveProperty('owner');
    }
    expect(JSON.stringify(rows).length).toBeLessThan(JSON.stringify(views).length / 3);
    const withOwners = (await request('list', { table: true, owners: true })) as Array<{ owner: unknown }>;
    expect(withOwners[0]!.owner).toEqual({ project: 'shop', file: join(tend.work, 'eco.yml') });
    await expect(request('list', { table: 'yes' })).rejects.toThrow(/params\.table: expected true or false/);
  });

  it('ls --json keeps every field of every process', async () => {
    await applyTwoApps();
    const [web] = JSON.parse((await tend.ok(['ls', '--json'])).stdout) as ProcessView[];
    for (const field of [
      'pm_out_log_path',
      'pm_err_log_path',
      'script',
      'args',
      'cwd',
      'interpreter',
      'created_at',
      'status_since',
      'exit_code',
      'unstable_restarts',
      'watch',
      'owner',
      'metrics',
    ]) {
      expect(web, field).toHaveProperty(field);
    }
    expect(web!.owner).toMatchObject({
      key: 'project:shop',
      project: 'shop',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(web!.pm_out_log_path).toMatch(/web-out(-0)?\.log$/);
  });
});

describe('tend ls against a daemon from before rows', () => {
  /** A daemon that answers `list` with full views whatever its params, as one older than ListParams does. */
  async function olderDaemon(views: ProcessView[]): Promise<unknown[]> {
    const asked: unknown[] = [];
    fakeDaemon = createServer((socket) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
          const req = JSON.parse(text.slice(0, nl)) as { id: number; method: string; params?: unknown };
          text = text.slice(nl + 1);
          if (req.method === 'list') asked.push(req.params ?? null);
          const result =
            req.method === 'list' ? views : { pong: true, pid: process.pid, version: '0.0.1', home: tend.home };
          socket.write(`${JSON.stringify({ v: 1, id: req.id, ok: true, result })}\n`);
        }
      });
    });
    await new Promise<void>((resolve) => fakeDaemon!.listen(join(tend.home, 'tend.sock'), resolve));
    return asked;
  }

  const view = (id: number, name: string): ProcessView => ({
    id,
    name,
    namespace: 'default',
    instance: 0,
    mode: 'fork',
    pid: 4000 + id,
    status: 'online',
    restarts: 1,
    unstable_restarts: 0,
    uptime_ms: 3_600_000,
    cpu: 2,
    memory: 30 * 1024 * 1024,
    exit_code: null,
    exit_signal: null,
    restart_reason: null,
    error: null,
    created_at: 1,
    status_since: 1,
    next_restart_at: null,
    pm_out_log_path: `/logs/${name}-out.log`,
    pm_err_log_path: `/logs/${name}-error.log`,
    script: `/srv/${name}.js`,
    args: [],
    interpreter: 'node',
    interpreter_args: [],
    cwd: '/srv',
    user: 'someone',
    version: '2.0.0',
    watch: false,
    source: 'shop',
    owner: { key: 'project:shop', project: 'shop', at: 1, user: 'someone' },
  });

  it('lists its full views as the table, on both paths; --json gets them whole', async () => {
    const asked = await olderDaemon([view(0, 'api'), view(1, 'web')]);
    const table = [
      'id  name  mode  pid   status  restarts  uptime  cpu  memory  user     version  source',
      '0   api   fork  4000  online  1         1h      2%   30mb    someone  2.0.0    shop',
      '1   web   fork  4001  online  1         1h      2%   30mb    someone  2.0.0    shop',
      '2 processes of 2 apps: 2 online',
      '',
    ].join('\n');
    expect(await tend.ok(['ls'])).toMatchObject({ stdout: table, stderr: '' });
    expect(await tend.ok(['ls', '--no-color'])).toMatchObject({ stdout: table, stderr: '' });
    expect((await tend.ok(['ls', '--project', 'shop'])).stdout).toBe(table);
    const json = JSON.parse((await tend.ok(['ls', '--json'])).stdout) as ProcessView[];
    expect(json).toEqual([view(0, 'api'), view(1, 'web')]);
    // What each asked for: the table's rows (with owners for --project), then every field for --json.
    expect(asked).toEqual([{ table: true }, { table: true }, { table: true, owners: true }, null]);
  });
});
