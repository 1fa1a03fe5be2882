import { userInfo } from 'node:os';
import { describe, expect, test } from 'vitest';
import { APPLY_BASE_PATH } from '../../../src/core/defaults.js';
import { buildEnv, cleanBaseEnv } from '../../../src/config/index.js';
import { appOf } from './helpers.js';

const shell = {
  kind: 'shell' as const,
  vars: { PATH: '/home/ann/bin:/usr/bin', NODE_ENV: 'shell', AWS_SECRET: 's', TERM: 'xterm' },
};

describe('buildEnv', () => {
  test('layers: shell < env < env_<name> < port, each with its source', () => {
    const built = buildEnv(
      {
        env: { NODE_ENV: 'development', DEBUG: 'app:*' },
        namedEnvs: { production: { NODE_ENV: 'production' }, staging: { NODE_ENV: 'staging' } },
        port: 8080,
        portSource: 'env',
      },
      { envName: 'production', baseEnv: shell },
    );
    expect(built.env).toEqual({
      PATH: '/home/ann/bin:/usr/bin',
      NODE_ENV: 'production',
      AWS_SECRET: 's',
      TERM: 'xterm',
      DEBUG: 'app:*',
      PORT: '8080',
    });
    expect(built.sources).toEqual({
      PATH: 'shell',
      NODE_ENV: 'env_production',
      AWS_SECRET: 'shell',
      TERM: 'shell',
      DEBUG: 'env',
      PORT: 'env',
    });
  });

  test('clean base is fixed: node folder + APPLY_BASE_PATH, the user, C.UTF-8; nothing from the shell', () => {
    const built = buildEnv(
      { env: { A: '1' }, portSource: 'env' },
      { baseEnv: { kind: 'clean' }, nodePath: '/opt/node/bin/node' },
    );
    const user = userInfo();
    expect(built.env).toEqual({
      PATH: `/opt/node/bin:${APPLY_BASE_PATH}`,
      HOME: user.homedir,
      USER: user.username,
      LOGNAME: user.username,
      SHELL: user.shell ?? '/bin/sh',
      LANG: 'C.UTF-8',
      A: '1',
    });
    expect(new Set(Object.values(built.sources))).toEqual(new Set(['base', 'env']));
  });

  test('the node folder comes first and no folder is repeated', () => {
    const folders = cleanBaseEnv('/usr/bin/node').PATH!.split(':');
    expect(folders[0]).toBe('/usr/bin');
    expect(new Set(folders).size).toBe(folders.length);
  });

  test.each([
    [true, []],
    [false, ['PATH', 'NODE_ENV', 'AWS_SECRET', 'TERM']],
    ['SECRET', ['PATH', 'NODE_ENV', 'TERM']],
    [
      ['AWS', 'TERM'],
      ['PATH', 'NODE_ENV'],
    ],
  ])('filter_env %o keeps %o of the shell', (filterEnv, kept) => {
    expect(Object.keys(buildEnv({ filterEnv, portSource: 'env' }, { baseEnv: shell }).env)).toEqual(kept);
  });

  test('filter_env does not touch the clean base', () => {
    expect(buildEnv({ filterEnv: true, portSource: 'env' }, { baseEnv: { kind: 'clean' } }).env.PATH).toBeDefined();
  });

  test('values become strings: numbers, booleans, nested objects as JSON, null as "null"', () => {
    const { env } = buildEnv(
      { env: { N: 3, B: false, O: { a: [1] }, Z: null, S: 'x' }, portSource: 'env' },
      { baseEnv: { kind: 'shell', vars: {} } },
    );
    expect(env).toEqual({ N: '3', B: 'false', O: '{"a":[1]}', Z: 'null', S: 'x' });
  });
});

describe('env from a file', () => {
  test('env_<name> applies only with --env <name>', async () => {
    const app = { script: 'app.js', env: { NODE_ENV: 'dev' }, env_production: { NODE_ENV: 'prod' } };
    expect((await appOf(app)).run.env.NODE_ENV).toBe('dev');
    const prod = await appOf(app, { envName: 'production' });
    expect([prod.run.env.NODE_ENV, prod.envSources.NODE_ENV]).toEqual(['prod', 'env_production']);
  });
});
