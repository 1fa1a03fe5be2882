import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDesiredStateFromText } from '../../../src/config/index.js';
import { keepStoredBase, withShellBase } from '../../../src/config/restart-env.js';
import type { AppSpec } from '../../../src/config/types.js';
import { makeSpec } from '../../fixtures/specs.js';
import { HOME, appOf, baseOptions, lines, tendErrorOf } from './helpers.js';

const forever = resolve('test/fixtures/apps/forever.js');

/** An ecosystem piped in as text (`tend start -`), read from the real disk. */
function fromText(
  text: string,
  options: Partial<typeof baseOptions> & { envName?: string; unknownKeys?: 'warn' } = {},
) {
  return loadDesiredStateFromText(text, { ...baseOptions, label: '<stdin>', cwd: process.cwd(), ...options });
}

describe("PM2's log_file and pid_file", () => {
  test.each([
    [true, `${HOME}/logs/api.log`],
    ['all.log', '/srv/app/all.log'],
    ['/var/log/api.log', '/var/log/api.log'],
  ])('log_file %o → %s', async (log_file, combined) => {
    expect((await appOf({ script: 'app.js', name: 'api', log_file })).logs.combined).toBe(combined);
  });

  test.each([[false], ['/dev/null'], [undefined]])(
    'log_file %o → none, and the spec names no field',
    async (log_file) => {
      expect('combined' in (await appOf({ script: 'app.js', log_file })).logs).toBe(false);
    },
  );

  test('pid_file (or pid) resolves against the cwd; absent, the spec names no field', async () => {
    expect((await appOf({ script: 'app.js', pid: 'run/api.pid' })).run.pidFile).toBe('/srv/app/run/api.pid');
    expect('pidFile' in (await appOf({ script: 'app.js' })).run).toBe(false);
  });
});

describe('append_env_to_name', () => {
  test('with --env X the app is NAME-X; without --env, NAME', async () => {
    const app = { script: 'app.js', name: 'api', append_env_to_name: true };
    expect((await appOf(app, { envName: 'staging' })).name).toBe('api-staging');
    expect((await appOf(app)).name).toBe('api');
  });
});

describe('deploy.<name>.env with --env <name>', () => {
  const file = `apps:\n  - name: a\n    script: ${forever}\n    env:\n      LEVEL: app\n    env_prod:\n      TIER: prod\ndeploy:\n  prod:\n    env:\n      LEVEL: deploy\n      REGION: eu\n`;

  test('lies under env and env_<name>, with its source', async () => {
    const [app] = (await fromText(file, { envName: 'prod' })).apps;
    expect([app?.run.env.LEVEL, app?.run.env.TIER, app?.run.env.REGION]).toEqual(['app', 'prod', 'eu']);
    expect(app?.envSources.REGION).toBe('deploy.prod.env');
  });

  test('is not used without --env', async () => {
    expect((await fromText(file)).apps[0]?.run.env.REGION).toBeUndefined();
  });

  test('a deploy env that is not a mapping is a problem at its line', async () => {
    const error = await tendErrorOf(() =>
      fromText(`apps:\n  - script: ${forever}\ndeploy:\n  prod:\n    env: 3\n`, { envName: 'prod' }),
    );
    expect(lines(error.problems)).toEqual([
      '5:10 deploy.prod.env: expected a mapping of variable names to values; got 3',
    ]);
  });
});

describe('unknown keys', () => {
  test('are problems by default (apply, plan), with line and column', async () => {
    const error = await tendErrorOf(() => fromText(`apps:\n  - script: ${forever}\n    colour: blue\n`));
    expect(lines(error.problems)).toEqual(['3:5 apps[0].colour: unknown key `colour`']);
  });

  test("are warnings, and ignored, when PM2's verbs read the file", async () => {
    const desired = await fromText(`apps:\n  - script: ${forever}\n    colour: blue\nextra: 1\n`, {
      unknownKeys: 'warn',
    });
    expect(desired.apps).toHaveLength(1);
    expect(lines(desired.warnings)).toEqual([
      '3:5 apps[0].colour: unknown key `colour`; ignored, as PM2 does',
      '4:1 extra: unknown top-level key `extra` (expected `apps`); ignored, as PM2 does',
    ]);
  });
});

describe('apps as text (`tend start -`)', () => {
  test('JSON or YAML, one app or a file; problems name the label, line and column', async () => {
    expect((await fromText(JSON.stringify({ name: 'j', script: forever }))).apps.map((a) => a.name)).toEqual(['j']);
    expect((await fromText(`name: y\nscript: ${forever}\n`)).apps.map((a) => a.name)).toEqual(['y']);
    const error = await tendErrorOf(() => fromText(`{\n  "script": "${forever}",\n  "instances": "lots"\n}`));
    expect(error.problems.map((p) => `${p.position?.file}:${p.position?.line}:${p.position?.column}`)).toEqual([
      '<stdin>:3:16',
    ]);
  });

  test('the apps have no origin file', async () => {
    const desired = await fromText(`name: y\nscript: ${forever}\n`);
    expect([desired.file, desired.apps[0]?.origin]).toEqual([null, null]);
  });
});

describe('the environment of a restart', () => {
  function spec(env: Record<string, [string, AppSpec['envSources'][string]]>): AppSpec {
    const base = makeSpec('api');
    return {
      ...base,
      run: { ...base.run, env: Object.fromEntries(Object.entries(env).map(([k, [v]]) => [k, v])) },
      envSources: Object.fromEntries(Object.entries(env).map(([k, [, s]]) => [k, s])),
    };
  }

  test('keepStoredBase: the base it started with, the layers of the file as it is now', () => {
    const stored = spec({
      PATH: ['/old', 'shell'],
      OLD_SHELL: ['1', 'shell'],
      COLOR: ['red', 'env'],
      GONE: ['x', 'env'],
    });
    const fresh = spec({ PATH: ['/new', 'shell'], NEW_SHELL: ['2', 'shell'], COLOR: ['blue', 'env'] });
    const kept = keepStoredBase(fresh, stored);
    expect(kept.run.env).toEqual({ PATH: '/old', OLD_SHELL: '1', COLOR: 'blue' });
    expect(kept.envSources).toEqual({ PATH: 'shell', OLD_SHELL: 'shell', COLOR: 'env' });
  });

  test("withShellBase (--update-env): the shell replaces the stored shell, tend's fixed base stays under it", () => {
    const stored = spec({
      HOME: ['/root', 'base'],
      PYTHONUNBUFFERED: ['1', 'base'],
      OLD_SHELL: ['1', 'shell'],
      COLOR: ['red', 'env'],
    });
    const updated = withShellBase(stored, { HOME: '/home/ann', NEW_SHELL: '2', COLOR: 'shell-colour' });
    expect(updated.run.env).toEqual({ HOME: '/home/ann', PYTHONUNBUFFERED: '1', NEW_SHELL: '2', COLOR: 'red' });
    expect(updated.envSources).toMatchObject({ HOME: 'shell', PYTHONUNBUFFERED: 'base', COLOR: 'env' });
  });
});
