import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_MAX_ENTRIES, HistoryWriter, readHistory, readHistoryEntry } from '../../src/runtime/history.js';

let home = '';
afterEach(() => rmSync(home, { recursive: true, force: true }));

const sample = {
  kind: 'apply' as const,
  at: 1,
  owner: null,
  summary: 'api start',
  result: 'ok' as const,
  scope: null,
  desired: [],
  before: {},
  after: {},
};

describe('the history folder', () => {
  it('numbers entries on from what is on disk (a new daemon goes on), private to the home’s owner', async () => {
    home = mkdtempSync(join(tmpdir(), 'tend-history-'));
    const first = new HistoryWriter(home);
    expect([first.record(sample), first.record(sample)]).toEqual([1, 2]);
    await first.written;
    const second = new HistoryWriter(home);
    expect(second.record(sample)).toBe(3);
    await second.written;
    expect(readHistory(home).map((e) => e.id)).toEqual([1, 2, 3]);
    expect(statSync(join(home, 'history')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'history', '000001.json')).mode & 0o777).toBe(0o600);
  });

  it(`keeps the newest ${HISTORY_MAX_ENTRIES} entries`, async () => {
    home = mkdtempSync(join(tmpdir(), 'tend-history-'));
    const writer = new HistoryWriter(home);
    for (let i = 0; i < HISTORY_MAX_ENTRIES + 5; i++) writer.record(sample);
    await writer.written;
    const ids = readHistory(home).map((e) => e.id);
    expect(ids).toHaveLength(HISTORY_MAX_ENTRIES);
    expect(ids[0]).toBe(6);
    expect(readdirSync(join(home, 'history'))).toHaveLength(HISTORY_MAX_ENTRIES);
  });

  it('a damaged entry is skipped in the list and refused when read', async () => {
    home = mkdtempSync(join(tmpdir(), 'tend-history-'));
    const writer = new HistoryWriter(home);
    writer.record(sample);
    writer.record(sample);
    await writer.written;
    writeFileSync(join(home, 'history', '000001.json'), '{"version":1,"id":1,"at":"x"}');
    expect(readHistory(home).map((e) => e.id)).toEqual([2]);
    expect(() => readHistoryEntry(home, 1)).toThrow(/history entry 1 is damaged/);
    expect(() => readHistoryEntry(home, 9)).toThrow(/no history entry 9/);
  });
});
