import { describe, expect, test } from 'vitest';
import { envNameOfKey, moduleEnv, moduleOf } from '../../../src/config/module-env.js';

describe('module settings as environment variables', () => {
  test.each([
    ['urls', 'TEND_CONFIG_URLS'],
    ['interval-ms', 'TEND_CONFIG_INTERVAL_MS'],
    ['max.size', 'TEND_CONFIG_MAX_SIZE'],
    ['camelCase', 'TEND_CONFIG_CAMELCASE'],
    ['_x1', 'TEND_CONFIG__X1'],
  ])('%s is passed as %s', (key, name) => {
    expect(envNameOfKey(key)).toBe(name);
  });

  test('the name, the JSON of every setting, and one variable per setting (non-strings as JSON)', () => {
    expect(moduleEnv('pinger', { urls: 'http://a', retries: 3, on: true, list: [1] })).toEqual({
      TEND_MODULE: 'pinger',
      TEND_MODULE_CONFIG: '{"urls":"http://a","retries":3,"on":true,"list":[1]}',
      TEND_CONFIG_LIST: '[1]',
      TEND_CONFIG_ON: 'true',
      TEND_CONFIG_RETRIES: '3',
      TEND_CONFIG_URLS: 'http://a',
    });
  });

  test.each([
    ['set by tend install', { TEND_MODULE: 'pinger' }, { TEND_MODULE: 'module' }, 'pinger'],
    ['from a shell (tend start run inside a module app)', { TEND_MODULE: 'pinger' }, { TEND_MODULE: 'shell' }, null],
    ['absent', {}, {}, null],
  ] as const)('moduleOf: TEND_MODULE %s', (_what, env, envSources, expected) => {
    expect(moduleOf({ run: { env } as never, envSources })).toBe(expected);
  });
});
