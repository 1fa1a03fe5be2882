import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resurrectActions } from '../../../src/daemon/resurrect.js';
import { backupOf, readDump, type StoredState, writeStateAtomically } from '../../../src/daemon/state-store.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';
import { makeSpec } from '../../fixtures/specs.js';

/** A dump with one app per entry, its instances saved in these statuses. */
function dump(apps: Record<string, ProcessStatus[]>): StoredState {
  let id = 0;
  return {
    version: 1,
    nextId: 0,
    apps: Object.entries(apps).map(([name, statuses]) => ({
      spec: makeSpec(name, { instances: statuses.length }),
      processes: statuses.map((status, instance) => ({
        id: id++,
        instance,
        status,
        pid: null,
        startTime: null,
        onlineSince: null,
        createdAt: 0,
        restarts: 0,
        unstableRestarts: 0,
      })),
    })),
  };
}

const summary = (state: StoredState, managed: string[] = []) =>
  resurrectActions(state, new Set(managed)).map((a) => [a.type, a.app, 'instances' in a ? a.instances : null]);

describe('resurrectActions: each saved instance back in its saved status', () => {
  it.each<[string, ProcessStatus[], unknown[][]]>([
    ['running', ['online', 'online'], [['start', 'a', [0, 1]]]],
    [
      'on its way up, between restarts, on its way down',
      ['launching', 'waiting-restart', 'stopping'],
      [['start', 'a', [0, 1, 2]]],
    ],
    ['given up on: tried again', ['errored'], [['start', 'a', [0]]]],
    ['stopped: registered, never started', ['stopped'], [['register', 'a', null]]],
    [
      'some stopped: registered stopped, the others then started',
      ['online', 'stopped', 'errored'],
      [
        ['register', 'a', null],
        ['resume', 'a', [0, 2]],
      ],
    ],
  ])('%s', (_what, statuses, actions) => {
    expect(summary(dump({ a: statuses }))).toEqual(actions);
  });

  it('leaves an app managed now as it is', () => {
    expect(summary(dump({ a: ['online'], b: ['stopped'] }), ['a'])).toEqual([['register', 'b', null]]);
  });
});

describe('readDump', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tend-dump-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a whole dump as it is, with nothing to say', async () => {
    const file = join(dir, 'dump.json');
    await writeStateAtomically(file, dump({ a: ['online'] }), { durable: false });
    expect(readDump(file)).toMatchObject({ warnings: [], state: { apps: [{ spec: { name: 'a' } }] } });
  });

  it('an app entry that is not whole damages the dump: its backup is used, the damaged file removed', async () => {
    const file = join(dir, 'dump.json');
    await writeStateAtomically(file, dump({ a: ['online'], b: ['stopped'] }), { durable: false });
    writeFileSync(file, JSON.stringify({ version: 1, nextId: 0, apps: [{ spec: { name: 'a' } }] }));
    const { state, warnings } = readDump(file);
    expect(state.apps.map((a) => a.spec.name)).toEqual(['a', 'b']);
    expect(warnings).toEqual([
      expect.stringMatching(/is not a valid tend state file.*its backup copy .*removed the damaged file/),
    ]);
    expect(readdirSync(dir)).toEqual(['dump.json.bak']);
  });

  it('both damaged: an error naming both, and both files kept', () => {
    const file = join(dir, 'dump.json');
    writeFileSync(file, '');
    writeFileSync(backupOf(file), '[]');
    expect(() => readDump(file)).toThrow(
      /dump\.json is not valid JSON \(it is empty\); its backup copy cannot be used either/,
    );
    expect(readdirSync(dir).sort()).toEqual(['dump.json', 'dump.json.bak']);
  });
});
