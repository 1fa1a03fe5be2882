import type { ManagedProcess } from './managed-process.js';

/** What one look at a process decided: done, with a value; or look again at its next change, or at `wakeAt` at the latest. */
export type Look<T> = { done: T } | { wakeAt: number | null };

/**
 * Looks at a process now and after every step of its machine until `look` is done. What comes without an event (a
 * deadline, the end of a settle window) is looked at through one timer, armed for the `wakeAt` (ms since epoch) of the
 * latest look. An error thrown by `look` rejects the promise; it never escapes into the machine's notifications.
 */
export function watchProcess<T>(p: ManagedProcess, look: (now: number) => Look<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    let timer: NodeJS.Timeout | null = null;
    let armedFor: number | null = null;
    const disarm = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      armedFor = null;
    };
    const finish = (): void => {
      finished = true;
      disarm();
      unsubscribe();
    };
    const check = (): void => {
      if (finished) return;
      let outcome: Look<T>;
      try {
        outcome = look(Date.now());
      } catch (err) {
        finish();
        reject(err);
        return;
      }
      if ('done' in outcome) {
        finish();
        resolve(outcome.done);
        return;
      }
      if (outcome.wakeAt === armedFor) return;
      disarm();
      if (outcome.wakeAt === null) return;
      armedFor = outcome.wakeAt;
      // At least 1 ms: a timer may fire a little before the wall clock reaches its time; the look then asks again.
      timer = setTimeout(
        () => {
          timer = null;
          armedFor = null;
          check();
        },
        Math.max(1, outcome.wakeAt - Date.now()),
      );
    };
    const unsubscribe = p.onUpdate(check);
    check();
  });
}
