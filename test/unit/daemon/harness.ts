import { vi } from 'vitest';
import { AppRegistry } from '../../../src/daemon/app-registry.js';
import { FakeLauncher } from '../../fixtures/fake-launcher.js';

/** Wall-clock time the fake clock starts at, so `at` values look like real timestamps. */
export const T0 = 1_700_000_000_000;

/**
 * Fake time for everything the orchestration schedules: the machines' delays (XState's default clock calls the global
 * setTimeout), settle's timer, the fake processes. setImmediate stays real, so awaiting fake time yields to real I/O.
 */
export function useFakeTime(): void {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/** The daemon's registry of apps over fake processes. */
export function fakeDaemon(): { fake: FakeLauncher; registry: AppRegistry } {
  const fake = new FakeLauncher();
  const registry = new AppRegistry(() => {}, fake.launcherFor, {}, fake.os);
  return { fake, registry };
}

/** Moves fake time on in steps until `promise` settles, and returns what it gives; fails past `limitMs` of fake time. */
export async function drive<T>(promise: Promise<T>, { stepMs = 50, limitMs = 600_000 } = {}): Promise<T> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  for (let waited = 0; !settled; waited += stepMs) {
    if (waited >= limitMs) throw new Error(`still pending after ${limitMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return promise;
}

/** Lets the fake processes' answers (spawned, ready, exited) reach the machines, without time passing. */
export async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}
