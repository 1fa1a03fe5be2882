import { describe, expect, test } from 'vitest';
import { knownKeyNames } from '../../../src/config/keys.js';
import { closestName, editDistance } from '../../../src/config/suggest.js';

describe('closestName suggests the key the user meant', () => {
  test.each([
    ['max_memory_restar', 'max_memory_restart'],
    ['max_memroy_restart', 'max_memory_restart'],
    ['maxMemoryRestrat', 'max_memory_restart'],
    ['Instances', 'instances'],
    ['instance', 'instances'],
    ['watch_dela', 'watch_delay'],
    ['enviroment', undefined],
    ['colour', undefined],
    ['x', undefined],
  ])('%s → %s', (typo, expected) => {
    expect(closestName(typo, knownKeyNames())).toBe(expected);
  });
});

test('a swap of two neighbours costs one edit', () => {
  expect(editDistance('memroy', 'memory')).toBe(1);
  expect(editDistance('kitten', 'sitting')).toBe(3);
});
