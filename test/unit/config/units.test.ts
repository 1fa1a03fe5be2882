import { describe, expect, test } from 'vitest';
import { typeScriptArgs } from '../../../src/config/interpreter.js';
import { parseDuration, parseSize, resolveInstances, splitArgs } from '../../../src/config/units.js';

describe('parseDuration', () => {
  test.each([
    [1500, 1500],
    ['1500', 1500],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    [' 2 s ', 2000],
    ['10 seconds', undefined],
    ['-5s', undefined],
    [-1, undefined],
    [true, undefined],
  ])('%o → %o', (value, expected) => {
    expect(parseDuration(value)).toBe(expected);
  });
});

describe('parseSize', () => {
  test.each([
    [1024, 1024],
    ['1024', 1024],
    ['512K', 512 * 1024],
    ['150M', 150 * 1024 ** 2],
    ['150m', 150 * 1024 ** 2],
    ['150MB', 150 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['150 MiB', undefined],
    ['0', undefined],
    ['lots', undefined],
  ])('%o → %o', (value, expected) => {
    expect(parseSize(value)).toBe(expected);
  });
});

describe('splitArgs', () => {
  test.each([
    ['a b  c', ['a', 'b', 'c']],
    [`--name "hello world"`, ['--name', 'hello world']],
    [`'single $quotes' x`, ['single $quotes', 'x']],
    [`a\\ b`, ['a b']],
    [`--empty ""`, ['--empty', '']],
    [`"say \\"hi\\""`, ['say "hi"']],
    [`pre"mid dle"post`, ['premid dlepost']],
    ['', []],
  ])('%s → %o', (text, expected) => {
    expect(splitArgs(text)).toEqual(expected);
  });
});

describe('resolveInstances with 8 CPUs', () => {
  test.each([
    [undefined, undefined],
    [2, 2],
    ['max', 8],
    [0, 8],
    [-2, 6],
    [-8, 1],
    ['-9', 1],
  ])('%o → %o', (value, expected) => {
    expect(resolveInstances(value, 8)).toBe(expected);
  });
});

describe('TypeScript on Node', () => {
  test.each([
    ['20.20.2', ['--import', 'tsx']],
    ['22.5.1', ['--import', 'tsx']],
    ['22.6.0', ['--experimental-strip-types']],
    ['24.1.0', ['--experimental-strip-types']],
  ])('node %s → %o', (version, expected) => {
    expect(typeScriptArgs(version)).toEqual(expected);
  });
});
