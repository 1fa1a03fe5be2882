import { describe, expect, test } from 'vitest';
import { parseModuleKey, parseModuleTarget } from '../../../src/config/module-key.js';
import { isTendError } from '../../../src/core/errors.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isTendError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a TendError');
}

describe('MODULE:KEY', () => {
  test.each([
    ['pinger:urls', { module: 'pinger', key: 'urls' }],
    ['pm2-logrotate:max_size', { module: 'pm2-logrotate', key: 'max_size' }],
    ['@acme/pinger:interval-ms', { module: '@acme/pinger', key: 'interval-ms' }],
    ['pinger:a.b', { module: 'pinger', key: 'a.b' }],
  ])('%s', (text, expected) => {
    expect(parseModuleKey(text)).toEqual(expected);
  });

  test.each([
    ['pinger', 'USAGE: expected MODULE:KEY (e.g. tend-health-pinger:urls), got `pinger`'],
    ['pinger:', 'USAGE: `pinger:` names no key after the `:`'],
    [':urls', "USAGE: `` is not a module name (an npm package's name)"],
    ['pin ger:urls', "USAGE: `pin ger` is not a module name (an npm package's name)"],
    [
      'pinger:1st',
      'USAGE: the key `1st` must start with a letter or `_` and hold only letters, digits, `_`, `.` and `-`',
    ],
    [
      'pinger:a b',
      'USAGE: the key `a b` must start with a letter or `_` and hold only letters, digits, `_`, `.` and `-`',
    ],
  ])('%s is refused', (text, message) => {
    expect(errorOf(() => parseModuleKey(text))).toBe(message);
  });

  test.each([
    ['pinger', { module: 'pinger' }],
    ['pinger:', { module: 'pinger' }],
    ['pinger:urls', { module: 'pinger', key: 'urls' }],
  ])('tend get %s', (text, expected) => {
    expect(parseModuleTarget(text)).toEqual(expected);
  });
});
