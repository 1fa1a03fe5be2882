import { describe, expect, it } from 'vitest';
import { MonitSamples } from '../../../src/cli/tui/monit-samples.js';
import { makeView } from './views.js';

describe('usage history kept by monit', () => {
  it('keeps the last samples of each process, oldest dropped first', () => {
    const history = new MonitSamples(3);
    for (const cpu of [1, 2, 3, 4]) history.record([makeView(0, 'api', { cpu, memory: cpu * 10 })]);
    expect(history.of(0)).toEqual({ cpu: [2, 3, 4], memory: [20, 30, 40] });
  });

  it('records zero for a process that is not online (its last sample would be stale)', () => {
    const history = new MonitSamples(5);
    history.record([makeView(0, 'api', { status: 'stopped', cpu: 50, memory: 100 })]);
    expect(history.of(0)).toEqual({ cpu: [0], memory: [0] });
  });

  it('forgets processes that are gone, so a new process with a reused id starts fresh', () => {
    const history = new MonitSamples(5);
    history.record([makeView(0, 'api'), makeView(1, 'worker')]);
    history.record([makeView(1, 'worker')]);
    expect(history.of(0)).toEqual({ cpu: [], memory: [] });
    expect(history.of(1).cpu).toHaveLength(2);
  });
});
