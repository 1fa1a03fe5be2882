import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupOf, readState, writeStateAtomically } from '../../../src/daemon/state-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tend-state-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = (nextId: number) => ({ version: 1 as const, nextId, apps: [] });

describe('writeStateAtomically', () => {
  it('writes at once from several callers (a save beside the state writer) without a temporary file shared or left', async () => {
    const file = join(dir, 'dump.json');
    await Promise.all([1, 2, 3, 4, 5].map((n) => writeStateAtomically(file, state(n), { durable: false })));
    expect([1, 2, 3, 4, 5]).toContain(readState(file).nextId);
    expect([1, 2, 3, 4, 5]).toContain(readState(backupOf(file)).nextId);
    expect(readdirSync(dir).sort()).toEqual(['dump.json', 'dump.json.bak']);

    await writeStateAtomically(file, state(6), { durable: false });
    expect(readFileSync(backupOf(file), 'utf8')).toBe(readFileSync(file, 'utf8'));
    expect(readState(file).nextId).toBe(6);
  });
});
