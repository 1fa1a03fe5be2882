// The same apps under a real PM2 (7.0.4, the devDependency) and under tend: `tend import` reads PM2's real dump, and
// `tend jlist` / `prettylist` are compared with PM2's own output for the same apps.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, ROOT, TendHarness, until, type CliResult } from './harness.js';

const PM2 = join(ROOT, 'node_modules/.bin/pm2');

type Pm2Process = {
  pid: number;
  name: string;
  pm_id: number;
  monit: { memory: number; cpu: number };
  pm2_env: Record<string, unknown> & { env: Record<string, unknown> };
};

let pm2Home: string;
let tend: TendHarness;
let pm2Jlist: Pm2Process[];
let pm2Prettylist: string;
let pm2AppEnv: Record<string, string>;

function pm2(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      PM2,
      args,
      { cwd, env: { ...process.env, PM2_HOME: pm2Home, NO_COLOR: '1' }, timeout: 30_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Every live process whose environment names this PM2 home (its daemon and the apps it started). */
function pm2Processes(home: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`PM2_HOME=${home}`) && !environ.some((v) => v.startsWith('TEND_HOME=')))
        pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** The first JSON line an app printed (prints-env.js prints its environment). */
function printedEnv(log: string): Record<string, string> {
  const line = readFileSync(log, 'utf8')
    .split('\n')
    .find((l) => l.includes('{"'));
  if (!line) throw new Error(`no env line in ${log}`);
  return JSON.parse(line.slice(line.indexOf('{'))) as Record<string, string>;
}

const ecosystem = (work: string): string => `module.exports = {
  apps: [
    {
      name: 'api',
      script: '${fixture('prints-env.js')}',
      instances: 2,
      exec_mode: 'cluster',
      increment_var: 'PORT',
      env: { PORT: 4100, NODE_ENV: 'development', SECRET_TOKEN: 's3cret' },
      env_production: { NODE_ENV: 'production' },
      max_memory_restart: '150M',
      node_args: '--max-old-space-size=100',
      time: true,
    },
    {
      name: 'worker',
      script: '${fixture('forever.js')}',
      args: '--queue mail',
      namespace: 'jobs',
      kill_timeout: 3000,
      restart_delay: 200,
      out_file: '${join(work, 'worker.out')}',
      cron_restart: '0 3 * * *',
    },
    { name: 'idle', script: '${fixture('forever.js')}' },
  ],
};
`;

beforeAll(async () => {
  pm2Home = mkdtempSync(join(tmpdir(), 'tend-e2e-pm2-home-'));
  tend = new TendHarness();
  const config = tend.write('ecosystem.config.js', ecosystem(tend.work));
  const started = await pm2(['start', config, '--env', 'production'], tend.work);
  if (started.code !== 0) throw new Error(`pm2 start failed:\n${started.stdout}\n${started.stderr}`);
  await pm2(['stop', 'idle'], tend.work);
  // Both api workers have printed their environment (PM2 hands out ids in its own order: the log files come from jlist).
  const jlist = await pm2(['jlist'], tend.work);
  pm2Jlist = JSON.parse(jlist.stdout) as Pm2Process[];
  const logs = pm2Jlist.filter((p) => p.name === 'api').map((p) => p.pm2_env.pm_out_log_path as string);
  expect(logs).toHaveLength(2);
  await until(() => logs.every((l) => readFileSync(l, 'utf8').includes('{"')), 10_000, "PM2's api workers");
  pm2Prettylist = (await pm2(['prettylist'], tend.work)).stdout;
  const api1 = pm2Jlist.find((p) => p.name === 'api' && p.pm2_env.NODE_APP_INSTANCE === 1)!;
  pm2AppEnv = printedEnv(api1.pm2_env.pm_out_log_path as string);
  const saved = await pm2(['save'], tend.work);
  if (saved.code !== 0) throw new Error(`pm2 save failed:\n${saved.stdout}\n${saved.stderr}`);
  await pm2(['kill'], tend.work);
}, 60_000);

afterAll(async () => {
  await pm2(['kill'], tmpdir());
  await tend.teardown();
  // Nothing of PM2's is left running.
  const left = pm2Processes(pm2Home);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  rmSync(pm2Home, { recursive: true, force: true });
  expect(left).toEqual([]);
});

describe('tend import reads a real PM2 dump', () => {
  it('writes a file tend plans without a problem, every PM2 key mapped or listed as left out', async () => {
    const out = join(tend.work, 'imported.yml');
    const result = await tend.ok(['import', pm2Home, '-o', out]);
    expect(result.stdout).toMatch(/^wrote .*imported\.yml: 3 apps \(api ×2, worker, idle\) from .*dump\.pm2$/m);
    // What PM2 keeps about the running process, and its internals, are named as left out, with the reason.
    expect(result.stdout).toMatch(/left out from every app: .*\bpm_uptime\b.*\(PM2's record of the running process/);
    expect(result.stdout).toMatch(/left out from every app: .*\bvizion\b.*\(PM2 internals/);
    expect(result.stdout).toMatch(/left out from every app: .*env\.PM2_HOME/);
    expect(result.stdout).toMatch(/note: idle was stopped when PM2 saved it: `autostart: false`/);
    // `cron_restart` is carried over and acted on: no note about it.
    expect(result.stdout).not.toMatch(/note: worker: `cron_restart`/);

    const file = parse(readFileSync(out, 'utf8')) as { apps: Array<Record<string, unknown>> };
    const [api, worker, idle] = file.apps;
    expect(api).toMatchObject({
      name: 'api',
      script: fixture('prints-env.js'),
      exec_mode: 'cluster',
      instances: 2,
      increment_var: 'PORT',
      interpreter_args: ['--max-old-space-size=100'],
      max_memory_restart: 150 * 1024 * 1024,
      time: true,
      env_production: { NODE_ENV: 'production' },
    });
    // The env PM2 gave instance 0, with the increment_var at its base, and without PM2's own variables.
    const env = api!.env as Record<string, string>;
    expect(env).toMatchObject({ PORT: '4100', NODE_ENV: 'production', SECRET_TOKEN: 's3cret' });
    expect(Object.keys(env).filter((k) => k.startsWith('PM2_') || k === 'unique_id' || k === 'api')).toEqual([]);
    // PM2's default log files are its own; tend writes its own. A chosen one is kept.
    expect(api).not.toHaveProperty('out_file');
    expect(worker).toMatchObject({
      args: ['--queue', 'mail'],
      namespace: 'jobs',
      kill_timeout: 3000,
      restart_delay: 200,
      out_file: join(tend.work, 'worker.out'),
    });
    expect(idle).toMatchObject({ name: 'idle', autostart: false });

    const plan = await tend.run(['plan', out]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/\+ api\s+start 2 instances/);
    expect(plan.stdout).toMatch(/\+ idle\s+register without starting/);
  });

  it('--apply runs the apps as PM2 ran them: the same env in each instance, stopped ones stopped', async () => {
    const out = join(tend.work, 'applied.yml');
    await tend.ok(['import', pm2Home, '-o', out, '--apply']);
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.status])).toEqual([
      ['api', 'online'],
      ['api', 'online'],
      ['worker', 'online'],
      ['idle', 'stopped'],
    ]);
    const api1 = list.find((p) => p.name === 'api' && p.instance === 1)!;
    await until(() => readFileSync(api1.pm_out_log_path!, 'utf8').includes('{"'), 10_000, 'api[1] printed its env');
    const env = printedEnv(api1.pm_out_log_path!);
    // PM2's variables, in the app's own process.env, as PM2 sets them.
    for (const key of ['PORT', 'NODE_ENV', 'NODE_APP_INSTANCE', 'name', 'instances', 'exec_mode', 'SECRET_TOKEN'])
      expect([key, env[key]]).toEqual([key, pm2AppEnv[key]]);
    expect(env.pm_id).toBe(String(api1.id));
  });
});

describe("jlist and prettylist print PM2's shape", () => {
  // What a script reading `pm2 jlist` uses; PM2-internal fields tend does not have (axm_options, vizion…) are not asked.
  const fields = ['pid', 'name', 'pm_id', 'monit.memory', 'monit.cpu'];
  const envFields = [
    'status',
    'restart_time',
    'unstable_restarts',
    'pm_uptime',
    'created_at',
    'exec_mode',
    'pm_exec_path',
    'pm_cwd',
    'exec_interpreter',
    'node_args',
    'args',
    'watch',
    'namespace',
    'instances',
    'pm_out_log_path',
    'pm_err_log_path',
    'env',
    'NODE_APP_INSTANCE',
    'pm_id',
    'name',
    'axm_monitor',
  ];
  const typeOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  const at = (object: unknown, path: string): unknown =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], object);

  it('the same fields with the same types as PM2 for the same apps, and the same values where they mean the same', async () => {
    const tendList = JSON.parse((await tend.ok(['jlist'])).stdout) as Pm2Process[];
    for (const [name, instance] of [
      ['api', 1],
      ['worker', 0],
      ['idle', 0],
    ] as const) {
      const theirs = pm2Jlist.find((p) => p.name === name && p.pm2_env.NODE_APP_INSTANCE === instance)!;
      const ours = tendList.find((p) => p.name === name && p.pm2_env.NODE_APP_INSTANCE === instance)!;
      expect(ours, `${name}[${instance}] in tend jlist`).toBeDefined();
      for (const f of fields) expect([name, f, typeOf(at(ours, f))]).toEqual([name, f, typeOf(at(theirs, f))]);
      // Every field is there; where PM2 has it too (it leaves out `args` when there are none), of the same type.
      for (const f of envFields) {
        expect(ours.pm2_env, `${name}.pm2_env.${f}`).toHaveProperty(f);
        if (f in theirs.pm2_env)
          expect([name, f, typeOf(ours.pm2_env[f])]).toEqual([name, f, typeOf(theirs.pm2_env[f])]);
      }
      // PM2 writes a pid file and a combined log only when asked (tend: `-p`, `-l`): present, a path or null.
      for (const f of ['pm_pid_path', 'pm_log_path']) expect(ours.pm2_env).toHaveProperty(f);
      const same = ['name', 'status', 'exec_mode', 'instances', 'namespace', 'exec_interpreter', 'node_args', 'pm_cwd'];
      for (const f of [...same, 'pm_exec_path', 'args', 'watch'].filter((f) => f in theirs.pm2_env))
        expect([name, f, ours.pm2_env[f]]).toEqual([name, f, theirs.pm2_env[f]]);
      expect(ours.pid === 0).toBe(theirs.pid === 0);
    }
    // Each instance's own environment is flattened in, as PM2 does: its index and its incremented port.
    const api1 = tendList.find((p) => p.name === 'api' && p.pm2_env.NODE_APP_INSTANCE === 1)!;
    expect(String(api1.pm2_env.PORT)).toBe('4101');
    expect(api1.pm2_env.env.PORT).toBe('4101');
    expect(api1.pm2_env.env.pm_id).toBe(String(api1.pm_id));
  });

  it("masks secret-looking env values as `tend show` does (PM2 prints them in clear); --show-secrets doesn't", async () => {
    const theirs = pm2Jlist.find((p) => p.name === 'api')!;
    expect(theirs.pm2_env.env.SECRET_TOKEN).toBe('s3cret');
    const masked = JSON.parse((await tend.ok(['jlist'])).stdout) as Pm2Process[];
    const api = masked.find((p) => p.name === 'api')!;
    expect([api.pm2_env.env.SECRET_TOKEN, api.pm2_env.SECRET_TOKEN]).toEqual(['***', '***']);
    expect(api.pm2_env.env.NODE_ENV).toBe('production');
    const clear = JSON.parse((await tend.ok(['jlist', '--show-secrets'])).stdout) as Pm2Process[];
    expect(clear.find((p) => p.name === 'api')!.pm2_env.env.SECRET_TOKEN).toBe('s3cret');
  });

  it("prettylist is Node's util.inspect text of the same list, laid out as PM2's", async () => {
    const text = (await tend.ok(['prettylist'])).stdout;
    // The same opening as PM2's: an array of objects whose first keys are pid, name, pm2_env.
    const opening = /^\[\n {2}\{\n {4}pid: \d+,\n {4}name: '\w+',\n {4}pm2_env: \{\n/;
    expect(pm2Prettylist).toMatch(opening);
    expect(text).toMatch(opening);
    expect(text).toMatch(/status: 'online'/);
    expect(text).toMatch(/SECRET_TOKEN: '\*\*\*'/);
  });

  it("`tend ls --json` keeps tend's own shape", async () => {
    const [first] = await tend.list();
    expect(first).toHaveProperty('id');
    expect(first).toHaveProperty('status');
    expect(first).not.toHaveProperty('pm2_env');
  });
});
