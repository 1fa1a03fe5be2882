import { describe, expect, it } from 'vitest';
import { rollbackTarget } from '../../../src/cli/commands/history.js';
import type { HistoryEntry } from '../../../src/runtime/history.js';
import { makeSpec } from '../../fixtures/specs.js';

const owner = { key: 'file:/srv/eco.yml', file: '/srv/eco.yml', at: 0, user: 't' };
const v1 = makeSpec('api', { run: { env: { V: '1' } } });
const v2 = makeSpec('api', { run: { env: { V: '2' } } });
const web = makeSpec('web');

function entry(id: number, fields: Partial<HistoryEntry>): HistoryEntry {
  return {
    version: 1,
    id,
    at: id,
    kind: 'apply',
    owner,
    summary: '',
    result: 'ok',
    scope: null,
    desired: [],
    before: {},
    after: {},
    ...fields,
  };
}

const entries = [
  entry(1, { desired: [v1], before: { api: null }, after: { api: v1 } }),
  entry(2, { desired: [v2, web], before: { api: v1, web: null }, after: { api: v2, web } }),
  entry(3, { result: 'refused' }),
  entry(4, { desired: [v2, web] }),
  entry(5, { result: 'failed', before: { api: v2 }, after: { api: v1 } }),
];
const read = (id: number) => entries.find((e) => e.id === id)!;

describe('what tend rollback goes back to', () => {
  it('without an id: before the last change that did something and ended well', () => {
    const { entry: from, desired, options } = rollbackTarget(entries, undefined, read);
    expect(from.id).toBe(2);
    expect(desired.apps).toEqual([v1]);
    expect(desired.file).toBe('/srv/eco.yml');
    // web was new in entry 2: in scope, not desired, so the owner's prune deletes it.
    expect(options).toMatchObject({ prune: true, onlyNames: ['api', 'web'], takeOver: true });
  });

  it("with an id: that entry's desired state, the owner's other apps pruned", () => {
    const { desired, options } = rollbackTarget(entries, 1, read);
    expect(desired.apps).toEqual([v1]);
    expect(options).toMatchObject({ prune: true, onlyNames: undefined });
  });

  it('keeps the scope of an --only apply', () => {
    const scoped = [entry(7, { scope: ['api'], desired: [v1] })];
    expect(rollbackTarget(scoped, 7, () => scoped[0]!).options.onlyNames).toEqual(['api']);
  });

  it.each([
    [3, /refused apply/],
    [6, /is a delete/],
  ])('entry %i has no state to go back to', (id, message) => {
    const all = [...entries, entry(6, { kind: 'delete', before: { api: v2 } })];
    expect(() => rollbackTarget(all, id, (n) => all.find((e) => e.id === n)!)).toThrow(message);
  });

  it('an empty history is refused', () => {
    expect(() => rollbackTarget([], undefined, read)).toThrow(/no successful apply/);
  });
});
