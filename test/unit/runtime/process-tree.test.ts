import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { descendantsOf, parseStat, processesNow } from '../../../src/runtime/process-tree.js';
import type { ProcessTable } from '../../../src/runtime/process-tree.js';

// Fields 3.. of /proc/<pid>/stat up to starttime (field 22), with ppid, pgrp and starttime set.
function statLine(pid: number, comm: string, state: string, ppid: number, pgid: number, start: number): string {
  const middle = Array.from({ length: 13 }, () => '0').join(' ');
  return `${pid} (${comm}) ${state} ${ppid} ${pgid} ${pgid} 0 -1 ${middle} ${start} 1000 200 18446744073709551615`;
}

describe('parseStat', () => {
  it.each([{ comm: 'node' }, { comm: 'my app (v2) ) x' }])(
    'reads ppid, pgid and start time after a command name like "$comm"',
    ({ comm }) => {
      expect(parseStat(statLine(42, comm, 'S', 7, 40, 123456))).toEqual({
        ppid: 7,
        pgid: 40,
        startTime: 123456,
        state: 'S',
      });
    },
  );

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('garbage')).toBeNull();
  });
});

describe('descendantsOf', () => {
  const entry = (ppid: number) => ({ ppid, pgid: 1, startTime: 1, state: 'S' });
  const table: ProcessTable = new Map([
    [10, entry(1)],
    [11, entry(10)],
    [12, entry(11)],
    [13, entry(10)],
    [20, entry(1)],
    [21, entry(20)],
  ]);

  it.each([
    { root: 10, want: [11, 12, 13] },
    { root: 11, want: [12] },
    { root: 12, want: [] },
    { root: 99, want: [] },
  ])('of $root is $want', ({ root, want }) => {
    expect(descendantsOf(root, table).sort()).toEqual(want);
  });
});

describe('processesNow', () => {
  it('reads /proc once per turn of the event loop, and afresh after it: a child started in between is seen', async () => {
    const first = processesNow();
    expect(first.get(process.pid)?.ppid).toBe(process.ppid);
    expect(processesNow()).toBe(first);
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      // Same turn: the snapshot from before the spawn, across callbacks and promises too.
      await Promise.resolve();
      expect(processesNow()).toBe(first);
      expect(processesNow().has(child.pid!)).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      const later = processesNow();
      expect(later).not.toBe(first);
      expect(later.get(child.pid!)?.ppid).toBe(process.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reads /proc again in the same turn when asked about a process the snapshot does not have', () => {
    const first = processesNow();
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      const again = processesNow(child.pid!);
      expect(again).not.toBe(first);
      expect(again.get(child.pid!)?.ppid).toBe(process.pid);
      expect(processesNow()).toBe(again);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
