import { describe, expect, it } from 'vitest';
import { batchedRunKiller, type RunSweepPorts } from '../../../src/runtime/run-sweep.js';

/** Ports over a fake machine: each pid carries a home and a run marker; `defer` queues sweeps until `turn()`. */
function fakeMachine(processes: Record<number, { home: string; marker: string }>) {
  const walks: Array<{ home: string; markers: string[] }> = [];
  const killed: number[] = [];
  let deferred: Array<() => void> = [];
  const ports: RunSweepPorts = {
    find: (home, markers) => {
      walks.push({ home, markers: [...markers].sort() });
      return Object.entries(processes)
        .filter(([, p]) => p.home === home && markers.has(p.marker))
        .map(([pid]) => Number(pid));
    },
    kill: (pid) => void killed.push(pid),
    defer: (sweep) => void deferred.push(sweep),
  };
  const turn = (): void => {
    const now = deferred;
    deferred = [];
    for (const sweep of now) sweep();
  };
  return { ports, walks, killed, turn };
}

describe('batchedRunKiller', () => {
  const machine = {
    10: { home: '/h', marker: '1.9.1' },
    11: { home: '/h', marker: '2.9.2' },
    12: { home: '/h', marker: '3.9.3' },
    20: { home: '/other', marker: '1.9.1' },
  };

  it.each([
    {
      what: 'runs ended in one turn share one walk and lose only their own leftovers',
      asks: [
        ['/h', '1.9.1'],
        ['/h', '2.9.2'],
      ],
      walks: [{ home: '/h', markers: ['1.9.1', '2.9.2'] }],
      killed: [10, 11],
    },
    {
      what: 'a run of another home with the same marker is left alone',
      asks: [['/h', '3.9.3']],
      walks: [{ home: '/h', markers: ['3.9.3'] }],
      killed: [12],
    },
    {
      what: 'two homes ended in one turn: one walk each',
      asks: [
        ['/h', '1.9.1'],
        ['/other', '1.9.1'],
      ],
      walks: [
        { home: '/h', markers: ['1.9.1'] },
        { home: '/other', markers: ['1.9.1'] },
      ],
      killed: [10, 20],
    },
  ])('$what', ({ asks, walks, killed }) => {
    const fake = fakeMachine(machine);
    const killRun = batchedRunKiller(fake.ports);
    for (const [home, marker] of asks) killRun(home!, marker!);
    expect(fake.killed).toEqual([]);
    fake.turn();
    expect(fake.walks).toEqual(walks);
    expect(fake.killed.sort()).toEqual(killed);
  });

  it('a run that ends after a sweep gets a sweep of its own', () => {
    const fake = fakeMachine(machine);
    const killRun = batchedRunKiller(fake.ports);
    killRun('/h', '1.9.1');
    fake.turn();
    killRun('/h', '2.9.2');
    fake.turn();
    expect(fake.walks).toEqual([
      { home: '/h', markers: ['1.9.1'] },
      { home: '/h', markers: ['2.9.2'] },
    ]);
    expect(fake.killed).toEqual([10, 11]);
  });
});
