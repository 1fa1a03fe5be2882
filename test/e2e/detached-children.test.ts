import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, sleep, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('children that start a session of their own', () => {
  it('do not outlive the run that started them: none is left after restarts, delete and kill', async () => {
    const children = tend.write('children.txt', '');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: forker\n    script: ${fixture('leaves-a-session-child.cjs')}\n    restart_delay: 200\n    env:\n      CHILDREN_FILE: ${children}\n`,
    );
    await tend.run(['apply', file]);
    // Each run starts one child and crashes; the child leaves the app's group and, once the app is gone, its tree.
    await tend.waitFor((l) => (l[0]?.restarts ?? 0) >= 3, 15_000, 'three restarts');
    await sleep(500);
    const started = readFileSync(children, 'utf8').trim().split('\n').map(Number);
    expect(started.length).toBeGreaterThanOrEqual(3);
    // Every run but the one now running has ended, and took its child with it.
    const alive = started.filter(isAlive);
    expect(alive.length).toBeLessThanOrEqual(1);
    await tend.ok(['delete', 'forker']);
    await sleep(300);
    expect(readFileSync(children, 'utf8').trim().split('\n').map(Number).filter(isAlive)).toEqual([]);
    expect((await tend.run(['kill'])).code).toBe(0);
  });
});
