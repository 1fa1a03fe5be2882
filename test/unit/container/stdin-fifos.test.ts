import { describe, expect, test } from 'vitest';
import { firstApplyStdinFifos } from '../../../src/container/stdin-fifos.js';
import { makeDesired, makeSpec } from '../../fixtures/specs.js';

describe("the stdin FIFOs made with the console's, before the first apply", () => {
  test('one per id the first apply gives: ids 0 up to the number of instances', () => {
    const desired = makeDesired([makeSpec('web', { instances: 2 }), makeSpec('api')]);
    expect(firstApplyStdinFifos(desired, '/h')).toEqual(['/h/stdin/0', '/h/stdin/1', '/h/stdin/2']);
  });

  test('cluster apps take ids too, so a fork app after one still finds its FIFO', () => {
    const desired = makeDesired([makeSpec('c', { instances: 2, run: { execMode: 'cluster' } }), makeSpec('api')]);
    expect(firstApplyStdinFifos(desired, '/h')).toEqual(['/h/stdin/0', '/h/stdin/1', '/h/stdin/2']);
  });

  test('none when no app is in fork mode (cluster workers have no stdin FIFO)', () => {
    const desired = makeDesired([makeSpec('c', { instances: 2, run: { execMode: 'cluster' } })]);
    expect(firstApplyStdinFifos(desired, '/h')).toEqual([]);
  });
});
