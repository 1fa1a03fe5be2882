// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` written in an ecosystem file is what these tests are about
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const forever = fixture('forever.js');
const crashes = fixture('crash-immediately.js');
const startTime = fixture('ready-after-start-time.js');

/** An app that appends its start time to <work>/<name>.times, and is up (wait_ready) only once it did. */
function timed(name: string, extra = ''): string {
  return `  - name: ${name}\n    script: ${startTime}\n    wait_ready: true\n    env: { START_TIME_FILE: ${join(tend.work, `${name}.times`)} }\n${extra}`;
}

function startTimes(name: string): number[] {
  try {
    return readFileSync(join(tend.work, `${name}.times`), 'utf8')
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
}

describe('depends_on', () => {
  it('starts a chain in order, each app once the one before is up; `plan` prints the order', async () => {
    // Listed backwards: the order comes from depends_on, not from the file.
    const file = tend.write(
      'eco.yml',
      `apps:\n${timed('web', '    depends_on: [api]\n')}${timed('api', '    depends_on:\n      db: { condition: ready }\n')}${timed('db')}`,
    );
    const plan = await tend.ok(['plan', file]);
    expect(plan.stdout).toContain('Order: db → api → web');
    await tend.ok(['apply', file]);
    const [db, api, web] = [startTimes('db')[0]!, startTimes('api')[0]!, startTimes('web')[0]!];
    // Each is spawned once the one before is ready and stayed online for the settle window (200 ms), not just spawned.
    expect(api - db).toBeGreaterThanOrEqual(150);
    expect(web - api).toBeGreaterThanOrEqual(150);
  });

  it('does not start what depends on an app that fails, and says why', async () => {
    const file = tend.write(
      'eco.yml',
      // wait_ready: api is never counted up before its crash, however slowly node boots on a busy machine.
      `apps:\n  - name: db\n    script: ${forever}\n  - name: api\n    script: ${crashes}\n    wait_ready: true\n    depends_on: [db]\n    max_restarts: 0\n${timed('web', '    depends_on: [api]\n')}`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('web not started: api failed (exited with code 1 while starting)');
    const list = await tend.list();
    expect(list.map((p) => p.name).sort()).toEqual(['api', 'db']);
    expect(list.find((p) => p.name === 'db')!.status).toBe('online');
    expect(startTimes('web')).toEqual([]);
  });

  it('refuses unknown names and cycles at file:line:col, and starts nothing', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: api\n    script: ${forever}\n    depends_on: [worker]\n  - name: worker\n    script: ${forever}\n    depends_on: [api, dbb]\n`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${file}:4:18`);
    expect(result.stderr).toContain('dependency cycle: api → worker → api');
    expect(result.stderr).toContain(`${file}:7:23`);
    expect(result.stderr).toContain('depends_on names `dbb`, which is not an app of this file');
    expect(tend.daemonPid()).toBeNull();
  });

  it('--only starts the dependencies that are not running; --no-deps does not', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: db\n    script: ${forever}\n  - name: api\n    script: ${forever}\n    depends_on: [db]\n  - name: other\n    script: ${forever}\n`,
    );
    await tend.ok(['apply', file, '--only', 'api', '--no-deps']);
    expect((await tend.list()).map((p) => p.name)).toEqual(['api']);
    await tend.ok(['delete', 'all']);
    await tend.ok(['apply', file, '--only', 'api']);
    expect((await tend.list()).map((p) => p.name).sort()).toEqual(['api', 'db']);
  });

  it('`tend restart db` restarts the dependents that ask for it (restart: true), after db', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n${timed('db')}${timed('api', '    depends_on:\n      db: { restart: true }\n')}${timed('worker', '    depends_on: [db]\n')}`,
    );
    await tend.ok(['apply', file]);
    const restart = await tend.ok(['restart', 'db']);
    expect(restart.stdout).toContain('api: restarted after db (depends_on restart: true)');
    expect(startTimes('db')).toHaveLength(2);
    expect(startTimes('api')).toHaveLength(2);
    expect(startTimes('api')[1]!).toBeGreaterThan(startTimes('db')[1]!);
    expect(startTimes('worker')).toHaveLength(1);
  });

  it('`tend delete all` stops dependents before what they depend on', async () => {
    const stopsLate = fixture('ignores-sigint.js');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: db\n    script: ${forever}\n  - name: api\n    script: ${stopsLate}\n    kill_timeout: 600\n    depends_on: [db]\n`,
    );
    await tend.ok(['apply', file]);
    const dbPid = (await tend.list()).find((p) => p.name === 'db')!.pid!;
    const started = Date.now();
    // api takes its kill_timeout to go; db must still be alive while it does.
    const deleting = tend.ok(['delete', 'all']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isRunning(dbPid)).toBe(true);
    await deleting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(isRunning(dbPid)).toBe(false);
  });
});

describe('env_file and ${VAR}', () => {
  const printsEnv = fixture('prints-env.js');

  async function envOf(name: string): Promise<Record<string, string>> {
    const list = await tend.waitFor((l) => l.some((p) => p.name === name && p.status === 'online'));
    const log = list.find((p) => p.name === name)!.pm_out_log_path!;
    for (let i = 0; i < 50; i++) {
      const text = readFileSync(log, 'utf8').trim();
      if (text) return JSON.parse(text.split('\n').at(-1)!) as Record<string, string>;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no output in ${log}`);
  }

  it('env_file values reach the app under env; ${VAR:-x} resolves from the apply’s environment', async () => {
    tend.write('conf/.env', 'FROM_FILE=yes\nOVERRIDDEN=file\n');
    const file = tend.write(
      'conf/eco.yml',
      `apps:\n  - name: api\n    script: ${printsEnv}\n    env_file: .env\n    env:\n      OVERRIDDEN: env\n      DB: "\${DB_HOST:-localhost}:\${DB_PORT:-5432}"\n      PRICE: "$$5"\n`,
    );
    await tend.ok(['apply', file], { env: { DB_HOST: 'db.internal' } });
    expect(await envOf('api')).toMatchObject({
      FROM_FILE: 'yes',
      OVERRIDDEN: 'env',
      DB: 'db.internal:5432',
      PRICE: '$5',
    });
  });

  it('a missing ${VAR:?message} refuses the file at file:line:col and starts nothing', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: db\n    script: ${forever}\n  - name: api\n    script: ${forever}\n    env:\n      DB_URL: "\${DATABASE_URL:?need it}"\n`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${file}:7:15`);
    expect(result.stderr).toContain('required variable DATABASE_URL is not set or empty: need it');
    expect(tend.daemonPid()).toBeNull();
  });

  it('a change to the env file is a change in `tend plan`, and apply restarts the app with it', async () => {
    tend.write('.env', 'LEVEL=1\n');
    const file = tend.write('eco.yml', `apps:\n  - name: api\n    script: ${printsEnv}\n    env_file: .env\n`);
    await tend.ok(['apply', file]);
    expect((await tend.ok(['plan', file])).stdout).toMatch(/No changes/);
    tend.write('.env', 'LEVEL=2\n');
    const plan = await tend.ok(['plan', file]);
    expect(plan.stdout).toContain('restart 1 instance: run.env.LEVEL "1" → "2"');
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l.some((p) => p.name === 'api' && p.restarts === 1 && p.status === 'online'));
    expect((await envOf('api')).LEVEL).toBe('2');
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
