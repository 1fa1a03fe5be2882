import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { KnownDesired } from '../../../src/daemon/known-desired.js';
import { makeDesired, makeSpec } from '../../fixtures/specs.js';

describe('KnownDesired: the last plan’s desired state, by hash', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('gives back what was kept under that hash, and nothing under another', () => {
    const known = new KnownDesired();
    const desired = makeDesired([makeSpec('web')]);
    known.remember('a1', desired);
    expect(known.get('a1')).toEqual(desired);
    expect(known.get('b2')).toBeUndefined();
  });

  test('keeps one state: the next plan’s replaces it', () => {
    const known = new KnownDesired();
    known.remember('a1', makeDesired([makeSpec('web')]));
    known.remember('b2', makeDesired([makeSpec('api')]));
    expect(known.get('a1')).toBeUndefined();
    expect(known.get('b2')?.apps.map((app) => app.name)).toEqual(['api']);
  });

  test('is a copy no one can change: not the request it came in, not a later caller', () => {
    const known = new KnownDesired();
    const desired = makeDesired([makeSpec('web')]);
    known.remember('a1', desired);
    desired.apps[0]!.run.env.NODE_ENV = 'changed after';
    desired.apps.push(makeSpec('api'));
    const kept = known.get('a1')!;
    expect(kept.apps.map((app) => [app.name, app.run.env.NODE_ENV])).toEqual([['web', 'production']]);
    expect(() => {
      kept.apps[0]!.instances = 5;
    }).toThrow(TypeError);
    expect(() => kept.apps.push(makeSpec('api'))).toThrow(TypeError);
  });

  test('is let go after 10 minutes without a plan asking for it; each plan that does keeps it 10 more', () => {
    const known = new KnownDesired();
    known.remember('a1', makeDesired([makeSpec('web')]));
    vi.advanceTimersByTime(9 * 60_000);
    expect(known.get('a1')).toBeDefined();
    vi.advanceTimersByTime(9 * 60_000);
    expect(known.get('a1')).toBeDefined();
    vi.advanceTimersByTime(10 * 60_000);
    expect(known.get('a1')).toBeUndefined();
  });

  test('clear() forgets it at once (the daemon shutting down)', () => {
    const known = new KnownDesired();
    known.remember('a1', makeDesired([makeSpec('web')]));
    known.clear();
    expect(known.get('a1')).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
