import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../../src/plan/diff.js';
import { equalValues } from '../../../src/plan/equal.js';
import { makeSpec } from '../../fixtures/specs.js';

describe('equalValues', () => {
  it.each([
    [1, 1, true],
    ['1', 1, false],
    [null, null, true],
    [null, undefined, false],
    [[], [], true],
    [['a'], ['a', 'b'], false],
    [['a', 'b'], ['b', 'a'], false],
    [{ a: 1, b: [2] }, { b: [2], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: 1 }, [1], false],
    [{ w: { paths: ['/x'] } }, { w: { paths: ['/y'] } }, false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(equalValues(a, b)).toBe(expected);
    expect(equalValues(b, a)).toBe(expected);
  });
});

describe('diffSpecs', () => {
  it('compares env key by key: changed and added in the new order, then removed keys', () => {
    const from = makeSpec('a', { run: { env: { KEEP: '1', GONE: 'x', PORT: '1' } } });
    const to = makeSpec('a', { run: { env: { NEW: 'y', PORT: '2', KEEP: '1' } } });
    expect(diffSpecs(from, to).all.map(({ field, from, to }) => [field, from, to])).toEqual([
      ['run.env.NEW', undefined, 'y'],
      ['run.env.PORT', '1', '2'],
      ['run.env.GONE', 'x', undefined],
    ]);
  });

  it('reports watch turned off as one change of the whole block', () => {
    const watch = { paths: ['/a'], ignore: [], delayMs: 0 };
    const diff = diffSpecs(makeSpec('a', { policy: { watch } }), makeSpec('a'));
    expect(diff.all).toEqual([{ field: 'policy.watch', from: watch, to: null, effect: 'in-place' }]);
  });
});
