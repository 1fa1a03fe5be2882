import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpawnPacer } from '../../../src/runtime/spawn-pacer.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A pacer on a clock each fork moves by `forkMs`, and the log of which fork ran in which turn. */
function pacedForks(budgetMs: number, forkMs: number) {
  let clock = 0;
  let turn = 0;
  const ran: string[] = [];
  const pacer = new SpawnPacer(budgetMs, () => clock);
  const fork = (name: string) =>
    pacer.run(() => {
      clock += forkMs;
      ran.push(`${name}@${turn}`);
      return name;
    });
  const nextTurn = async () => {
    turn += 1;
    await vi.advanceTimersToNextTimerAsync();
  };
  return { fork, ran, nextTurn };
}

describe('SpawnPacer', () => {
  it('forks at once while the turn has time left, the rest in later turns, in the order asked', async () => {
    const { fork, ran, nextTurn } = pacedForks(20, 8);
    const results = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(fork);
    // 8 + 8 = 16 ms < 20: a third goes; then the turn is spent.
    expect(ran).toEqual(['a@0', 'b@0', 'c@0']);
    await nextTurn();
    expect(ran).toEqual(['a@0', 'b@0', 'c@0', 'd@1', 'e@1', 'f@1']);
    await nextTurn();
    expect(ran.at(-1)).toBe('g@2');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('a single fork never waits, and a fork over the budget still goes first in its turn', async () => {
    const { fork, ran, nextTurn } = pacedForks(20, 50);
    await fork('restart');
    expect(ran).toEqual(['restart@0']);
    await nextTurn(); // the turn ends; the next one starts with its whole budget
    void fork('x');
    void fork('y');
    expect(ran).toEqual(['restart@0', 'x@1']);
    await nextTurn();
    expect(ran).toEqual(['restart@0', 'x@1', 'y@2']);
  });

  it('a fork that throws rejects its own promise only', async () => {
    const pacer = new SpawnPacer(20, () => 0);
    const failing = pacer.run(() => {
      throw new Error('EAGAIN');
    });
    await expect(failing).rejects.toThrow('EAGAIN');
    await expect(pacer.run(() => 'next')).resolves.toBe('next');
  });
});
