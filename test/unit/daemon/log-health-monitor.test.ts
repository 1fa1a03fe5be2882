import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaults } from '../../../src/core/defaults.js';
import { LogHealthMonitor, turnOf } from '../../../src/daemon/log-health-monitor.js';
import type { LogProblem } from '../../../src/runtime/log-health.js';
import { makeSpec } from '../../fixtures/specs.js';

describe('turnOf', () => {
  it.each([
    { length: 0, cursor: 0, turns: 6, want: { start: 0, count: 0 } },
    { length: 5, cursor: 0, turns: 6, want: { start: 0, count: 1 } },
    { length: 12, cursor: 0, turns: 6, want: { start: 0, count: 2 } },
    { length: 13, cursor: 12, turns: 6, want: { start: 12, count: 3 } },
    { length: 1000, cursor: 1002, turns: 6, want: { start: 2, count: 167 } },
    { length: 4, cursor: 7, turns: 1, want: { start: 3, count: 4 } },
  ])('$length items, cursor $cursor, $turns turns: $want', ({ length, cursor, turns, want }) => {
    expect(turnOf(length, cursor, turns)).toEqual(want);
  });
});

/** What the monitor needs of a process, writing its logs in `dir`. */
function fakeProcess(dir: string, name: string) {
  return {
    spec: makeSpec(name),
    pid: process.pid,
    logPaths: { out: join(dir, `${name}-out.log`), err: join(dir, `${name}-err.log`) },
    logProblem: null as LogProblem | null,
    logNote: null,
  };
}

describe('LogHealthMonitor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tend-log-health-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Twelve processes with their log files, a monitor, and a tick every `logHealthEveryMs` of a made-up clock. */
  function twelve(localFolder?: string) {
    const processes = Array.from({ length: 12 }, (_, i) => fakeProcess(dir, `app${i}`));
    for (const p of processes) for (const f of [p.logPaths.out, p.logPaths.err]) writeFileSync(f, '');
    const changed: string[] = [];
    const monitor = new LogHealthMonitor(
      () => processes,
      (p) => changed.push(p.logPaths.out),
      localFolder === undefined ? {} : { localFolder },
    );
    let now = 0;
    const check = async () => {
      now += defaults.logHealthEveryMs;
      monitor.tick(now);
      await monitor.settled();
    };
    return { processes, monitor, check, changed };
  }

  it.each([
    { where: 'a log file in the local folder (checked without promises)', local: true },
    { where: 'a log file elsewhere (checked off the thread)', local: false },
  ])('finds $where replaced by a folder on its process’s turn, within logHealthFileEvery checks', async ({ local }) => {
    const { processes, check } = twelve(local ? dir : undefined);
    await check();
    expect(processes.every((p) => p.logProblem === null)).toBe(true);
    const victim = processes[7]!;
    unlinkSync(victim.logPaths.err);
    mkdirSync(victim.logPaths.err);
    const foundAt: number[] = [];
    for (let n = 1; n <= defaults.logHealthFileEvery; n++) {
      await check();
      if (victim.logProblem?.code === 'EISDIR') foundAt.push(n);
    }
    expect(foundAt.length).toBeGreaterThan(0);
    expect(victim.logProblem).toMatchObject({ code: 'EISDIR', file: victim.logPaths.err, scope: 'file' });
    // Nobody else's files were blamed.
    expect(processes.filter((p) => p.logProblem !== null)).toEqual([victim]);
  });

  it('looks at each process’s own files once in logHealthFileEvery checks, two of twelve each time', async () => {
    const { processes, check } = twelve(dir);
    await check();
    // Every file turned into a folder: each check finds the next two processes.
    for (const p of processes) {
      unlinkSync(p.logPaths.out);
      mkdirSync(p.logPaths.out);
    }
    const found: number[] = [];
    for (let n = 0; n < defaults.logHealthFileEvery; n++) {
      await check();
      found.push(processes.filter((p) => p.logProblem !== null).length);
    }
    expect(found).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('sees a missing folder for every process at the next check, and clears it once it is back', async () => {
    const { processes, check, changed } = twelve(dir);
    await check();
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'a file where the folder was');
    await check();
    expect(processes.every((p) => p.logProblem?.code === 'ENOTDIR')).toBe(true);
    expect(changed).toHaveLength(12);
    unlinkSync(dir);
    mkdirSync(dir);
    await check();
    // The files are gone with the old folder, and the folder lets them be made again: nothing to report.
    expect(processes.every((p) => p.logProblem === null)).toBe(true);
  });
});
