import { describe, expect, test } from 'vitest';
import { defaults } from '../../../src/core/defaults.js';
import type { AppSpec } from '../../../src/config/types.js';
import { HOME, NODE, appOf, desiredOf, lines, tendErrorOf } from './helpers.js';

describe('defaults', () => {
  test('a minimal app gets PM2 defaults and absolute paths', async () => {
    const app = await appOf({ script: 'app.js' });
    expect(app).toEqual<AppSpec>({
      name: 'app',
      namespace: 'default',
      run: {
        script: '/srv/app/app.js',
        args: [],
        interpreter: NODE,
        interpreterArgs: [],
        cwd: '/srv/app',
        env: { PATH: '/usr/bin' },
        execMode: 'fork',
        instanceVar: 'NODE_APP_INSTANCE',
        incrementVar: null,
      },
      instances: 1,
      policy: {
        autorestart: true,
        maxRestarts: 16,
        minUptimeMs: 1000,
        restartDelayMs: 0,
        expBackoffRestartDelayMs: null,
        stopExitCodes: [],
        maxMemoryRestartBytes: null,
        killSignal: defaults.killSignal,
        killTimeoutMs: 1600,
        listenTimeoutMs: 3000,
        waitReady: false,
        shutdownWithMessage: false,
        watch: null,
      },
      logs: { out: `${HOME}/logs/app-out.log`, err: `${HOME}/logs/app-err.log`, merge: true },
      autostart: true,
      envSources: { PATH: 'shell' },
      origin: { file: '/srv/app/ecosystem.yml', index: 0 },
    });
  });

  test('every option given is used', async () => {
    const app = await appOf({
      name: 'api',
      namespace: 'backend',
      script: 'app.js',
      autorestart: false,
      autostart: false,
      max_restarts: '5',
      min_uptime: '10s',
      restart_delay: 250,
      exp_backoff_restart_delay: '100ms',
      stop_exit_codes: [0, '3'],
      max_memory_restart: '150M',
      kill_signal: 'SIGTERM',
      kill_timeout: '5s',
      listen_timeout: '1m',
      wait_ready: true,
      shutdown_with_message: true,
      instance_var: 'INSTANCE_ID',
      increment_var: 'PORT',
    });
    expect(app.name).toBe('api');
    expect(app.namespace).toBe('backend');
    expect(app.autostart).toBe(false);
    expect(app.run.instanceVar).toBe('INSTANCE_ID');
    expect(app.run.incrementVar).toBe('PORT');
    expect(app.policy).toEqual({
      autorestart: false,
      maxRestarts: 5,
      minUptimeMs: 10_000,
      restartDelayMs: 250,
      expBackoffRestartDelayMs: 100,
      stopExitCodes: [0, 3],
      maxMemoryRestartBytes: 150 * 1024 * 1024,
      killSignal: 'SIGTERM',
      killTimeoutMs: 5000,
      listenTimeoutMs: 60_000,
      waitReady: true,
      shutdownWithMessage: true,
      watch: null,
    });
  });

  test.each([
    ['a single exit code', 2, [2]],
    ['exp_backoff_restart_delay 0 means no backoff', 0, null],
  ])('%s', async (label, value, expected) => {
    const key = label.startsWith('exp') ? 'exp_backoff_restart_delay' : 'stop_exit_codes';
    const app = await appOf({ script: 'app.js', [key]: value });
    expect(key === 'stop_exit_codes' ? app.policy.stopExitCodes : app.policy.expBackoffRestartDelayMs).toEqual(
      expected,
    );
  });
});

describe('PM2 spellings', () => {
  test.each([
    [{ exec: 'app.js' }, 'script', '/srv/app/app.js'],
    [{ cmd: 'app.js' }, 'script', '/srv/app/app.js'],
    [{ command: 'app.js' }, 'script', '/srv/app/app.js'],
    [{ script: 'app.js', exec_interpreter: 'none' }, 'interpreter', null],
    [{ script: 'app.js', node_args: '--inspect' }, 'interpreterArgs', ['--inspect']],
    [{ script: 'app.js', interpreterArgs: ['--inspect'] }, 'interpreterArgs', ['--inspect']],
    [{ script: 'app.js', out: 'o.log' }, 'out', '/srv/app/o.log'],
    [{ script: 'app.js', output: 'o.log' }, 'out', '/srv/app/o.log'],
    [{ script: 'app.js', out_log: 'o.log' }, 'out', '/srv/app/o.log'],
    [{ script: 'app.js', error: 'e.log' }, 'err', '/srv/app/e.log'],
    [{ script: 'app.js', err: 'e.log' }, 'err', '/srv/app/e.log'],
    [{ script: 'app.js', err_file: 'e.log' }, 'err', '/srv/app/e.log'],
    [{ script: 'app.js', errLog: 'e.log' }, 'err', '/srv/app/e.log'],
    [{ script: 'app.js', instances: 3, combine_logs: true }, 'merge', true],
    [{ script: 'app.js', maxMemoryRestart: '1G' }, 'maxMemoryRestartBytes', 1024 ** 3],
    [{ script: 'app.js', execMode: 'cluster_mode' }, 'execMode', 'cluster'],
  ])('%o', async (raw, field, expected) => {
    const app = await appOf(raw);
    const fields: Record<string, unknown> = { ...app.run, ...app.policy, ...app.logs };
    expect(fields[field]).toEqual(expected);
  });

  test('the same option under two names is an error', async () => {
    const error = await tendErrorOf(() =>
      desiredOf([{ script: 'app.js', exec: 'app.js', maxRestarts: 1, max_restarts: 2 }]),
    );
    expect(lines(error.problems)).toEqual([
      'apps[0].maxRestarts: `maxRestarts` and `max_restarts` are the same option; keep one',
      'apps[0].exec: `exec` and `script` both set `script`; keep one',
    ]);
  });
});

describe('instances', () => {
  test.each([
    [undefined, 1],
    [3, 3],
    ['3', 3],
    ['max', 4],
    [0, 4],
    [-1, 3],
    ['-1', 3],
    [-3, 1],
    [-10, 1],
  ])('%o with 4 CPUs → %i', async (instances, expected) => {
    expect((await appOf({ script: 'app.js', instances })).instances).toBe(expected);
  });

  // As PM2's determineExecMode: instances on a Node app without exec_mode means cluster mode.
  test.each([
    [{ instances: 4 }, 'cluster', false],
    [{ instances: 1 }, 'cluster', false],
    [{ instances: 4, exec_mode: 'fork' }, 'fork', true],
    [{ instances: 4, execute_command: true }, 'fork', true],
    [{ instances: 4, exec_mode: 'cluster' }, 'cluster', false],
    [{ exec_mode: 'fork_mode' }, 'fork', true],
    [{}, 'fork', true],
    [{ instances: 1, exec_mode: 'cluster' }, 'cluster', false],
  ])('%o → %s mode, merge_logs %s', async (options, mode, merge) => {
    const app = await appOf({ script: 'app.js', ...options });
    expect([app.run.execMode, app.logs.merge]).toEqual([mode, merge]);
  });

  test('instances without exec_mode: cluster mode for a Node app, and a warning that says so', async () => {
    const desired = await desiredOf([{ script: 'app.js', instances: 2 }]);
    expect(desired.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'apps[0].instances: `instances` without `exec_mode` runs a Node.js app in cluster mode, as PM2 does (one port shared by every instance); set `exec_mode: fork` for separate copies',
    ]);
  });

  test('instances on an app that is not Node.js stays in fork mode, silently', async () => {
    const desired = await desiredOf([{ script: 'worker.py', instances: 3 }]);
    expect([desired.apps[0]?.run.execMode, desired.warnings]).toEqual(['fork', []]);
  });

  test('cluster mode for a non-Node app is an error', async () => {
    const error = await tendErrorOf(() => desiredOf([{ script: 'worker.py', exec_mode: 'cluster' }]));
    expect(lines(error.problems)).toEqual([
      'apps[0].exec_mode: cluster mode runs Node.js scripts only, and this app runs with python3; use exec_mode: fork',
    ]);
  });
});

describe('interpreter', () => {
  test.each([
    ['app.js', {}, '/srv/app/app.js', NODE, []],
    ['src/index.mjs', {}, '/srv/app/src/index.mjs', NODE, []],
    ['main.ts', {}, '/srv/app/main.ts', NODE, ['--import', 'tsx']],
    ['worker.py', {}, '/srv/app/worker.py', 'python3', []],
    ['job.sh', {}, '/srv/app/job.sh', 'bash', []],
    ['server', {}, '/srv/app/server', null, []],
    ['notes.txt', {}, '/srv/app/notes.txt', NODE, []],
    ['npm', { args: 'start' }, 'npm', null, []],
    ['npm run start', {}, 'npm run start', 'bash', ['-c']],
    ['app.js', { interpreter: 'none' }, '/srv/app/app.js', null, []],
    ['app.js', { interpreter: 'bun', interpreter_args: '--smol' }, '/srv/app/app.js', 'bun', ['--smol']],
    ['app.js', { interpreter: './bin/node' }, '/srv/app/app.js', '/srv/app/bin/node', []],
    ['main.ts', { interpreter_args: ['--inspect'] }, '/srv/app/main.ts', NODE, ['--import', 'tsx', '--inspect']],
  ])('%s %o → %s run by %s %o', async (script, options, expectedScript, interpreter, interpreterArgs) => {
    const app = await appOf({ script, ...options });
    expect([app.run.script, app.run.interpreter, app.run.interpreterArgs]).toEqual([
      expectedScript,
      interpreter,
      interpreterArgs,
    ]);
  });

  test('Python apps get PYTHONUNBUFFERED=1 at base precedence', async () => {
    const app = await appOf({ script: 'worker.py', env: { EXTRA: 'x' } });
    expect(app.run.env.PYTHONUNBUFFERED).toBe('1');
    expect(app.envSources.PYTHONUNBUFFERED).toBe('base');
    const overridden = await appOf({ script: 'worker.py', env: { PYTHONUNBUFFERED: '0' } });
    expect([overridden.run.env.PYTHONUNBUFFERED, overridden.envSources.PYTHONUNBUFFERED]).toEqual(['0', 'env']);
  });

  test('node@version (nvm) is refused with a way out', async () => {
    const error = await tendErrorOf(() => desiredOf([{ script: 'app.js', interpreter: 'node@18.0.0' }]));
    expect(lines(error.problems)).toEqual([
      'apps[0].interpreter: `node@18.0.0` (a node version through nvm) is not supported; give the path of that node binary',
    ]);
  });

  test('a command is looked up on the PATH the app will run with', async () => {
    const error = await tendErrorOf(() =>
      desiredOf([{ script: 'npm' }], { baseEnv: { kind: 'shell', vars: { PATH: '/opt/none' } } }),
    );
    expect(lines(error.problems)).toEqual(['apps[0].script: script `npm` not found at /srv/app/npm nor on PATH']);
  });
});

describe('args', () => {
  test.each([
    ['--port 3000 -v', ['--port', '3000', '-v']],
    [`--name "hello world" --quote 'it''s'`, ['--name', 'hello world', '--quote', 'its']],
    [`--msg "say \\"hi\\""`, ['--msg', 'say "hi"']],
    [
      ['--port', 3000, true],
      ['--port', '3000', 'true'],
    ],
    ['', []],
  ])('%o → %o', async (args, expected) => {
    expect((await appOf({ script: 'app.js', args })).run.args).toEqual(expected);
  });
});

describe('paths', () => {
  test('cwd is resolved against the file folder; script and logs against cwd', async () => {
    const app = await appOf({ script: '../app.js', cwd: 'logs', out_file: 'out.log', error_file: '/var/log/err.log' });
    expect([app.run.cwd, app.run.script, app.logs.out, app.logs.err]).toEqual([
      '/srv/app/logs',
      '/srv/app/app.js',
      '/srv/app/logs/out.log',
      '/var/log/err.log',
    ]);
  });

  test('a cwd that does not exist is an error', async () => {
    const error = await tendErrorOf(() => desiredOf([{ script: '/srv/app/app.js', cwd: 'nowhere' }]));
    expect(lines(error.problems)).toEqual(['apps[0].cwd: cwd folder not found: /srv/app/nowhere']);
  });

  test.each([
    [{}, `${HOME}/logs/api-out.log`, `${HOME}/logs/api-err.log`],
    [{ out_file: '/dev/null', error_file: 'NULL' }, null, null],
    [{ disable_logs: true, out_file: 'out.log' }, null, null],
  ])('logs %o', async (options, out, err) => {
    const app = await appOf({ name: 'api', script: 'app.js', ...options });
    expect([app.logs.out, app.logs.err]).toEqual([out, err]);
  });
});

describe('watch', () => {
  const alwaysIgnored = [...defaults.watchIgnore];
  test.each([
    [{ watch: false }, null],
    [{}, null],
    [{ watch: true }, { paths: ['/srv/app'], ignore: alwaysIgnored, delayMs: 0 }],
    [
      { watch: 'src', watch_delay: '1s' },
      { paths: ['/srv/app/src'], ignore: alwaysIgnored, delayMs: 1000 },
    ],
    [
      { watch: ['src', '/etc/app.conf'], ignore_watch: ['logs', '*.tmp', './data/cache', '**/dist/**'] },
      {
        paths: ['/srv/app/src', '/etc/app.conf'],
        ignore: [
          ...alwaysIgnored,
          '**/logs',
          '**/logs/**',
          '**/*.tmp',
          '**/*.tmp/**',
          '/srv/app/data/cache',
          '/srv/app/data/cache/**',
          '**/dist/**',
        ],
        delayMs: 0,
      },
    ],
  ])('%o', async (options, expected) => {
    expect((await appOf({ script: 'app.js', ...options })).policy.watch).toEqual(expected);
  });
});

describe('port', () => {
  test('port sets PORT over env', async () => {
    const app = await appOf({ script: 'app.js', port: '8080', env: { PORT: 1 } });
    expect([app.run.env.PORT, app.envSources.PORT]).toEqual(['8080', 'env']);
  });

  test('a port out of range is an error', async () => {
    const error = await tendErrorOf(() => desiredOf([{ script: 'app.js', port: '70000' }]));
    expect(lines(error.problems)).toEqual(['apps[0].port: expected a port number from 1 to 65535; got "70000"']);
  });
});
