import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredState } from '../../../src/daemon/state-store.js';
import { StateWriter } from '../../../src/daemon/state-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tend-state-writer-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function stateWith(nextId: number): StoredState {
  return { version: 1, nextId, apps: [] };
}

describe('the state file writer', () => {
  it('a burst of changes ends with the newest state on disk, in a few writes, and no temporary file left', async () => {
    const file = join(dir, 'state.json');
    let current = 0;
    let snapshots = 0;
    const writer = new StateWriter(
      file,
      () => {
        snapshots += 1;
        return stateWith(current);
      },
      (err) => {
        throw err;
      },
    );
    for (current = 1; current <= 50; current++) writer.changed(current % 10 === 0);
    current = 50;
    await writer.flush(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stateWith(50));
    expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8'))).toEqual(stateWith(50));
    // 50 changes within the debounce, then the flush: one write, not one per change.
    expect(snapshots).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.bak']);
  });

  it('a failed write is reported, and the writer writes again once it can', async () => {
    const folder = join(dir, 'not-yet');
    const file = join(folder, 'state.json');
    const errors: unknown[] = [];
    let current = 1;
    const writer = new StateWriter(
      file,
      () => stateWith(current),
      (err) => errors.push(err),
    );
    await writer.flush(true);
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOENT']);
    mkdirSync(folder);
    current = 2;
    await writer.flush(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stateWith(2));
    expect(errors).toHaveLength(1);
  });
});
