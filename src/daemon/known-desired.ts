import type { DesiredState } from '../config/types.js';

/** How long the last desired state a `plan` sent is kept without being asked for again: its memory goes back then. */
const KEEP_MS = 10 * 60_000;

/**
 * The desired state of the last `tend plan`, by the CLI's hash of it (src/cli/plan-call.ts), so that the next plan of
 * the same file sends the hash instead of the whole state: at 1,000 apps a 1.1 MB request line the daemon read, decoded
 * and checked field by field on every plan. Only the plan reads it (pure: observed state is read afresh each time),
 * and it is kept as a frozen copy, so nothing the daemon does later can change it. One entry: a second file planned
 * in turn costs its full request again, never a wrong plan.
 */
export class KnownDesired {
  private entry: { hash: string; desired: DesiredState } | undefined;
  private timer: NodeJS.Timeout | undefined;

  remember(hash: string, desired: DesiredState): void {
    this.entry = { hash, desired: deepFreeze(structuredClone(desired)) };
    this.keepFromNow();
  }

  /** The state remembered under `hash` (frozen; give it a fresh `owner`), or undefined: the CLI then sends it all. */
  get(hash: string): DesiredState | undefined {
    if (this.entry?.hash !== hash) return undefined;
    this.keepFromNow();
    return this.entry.desired;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.entry = undefined;
  }

  private keepFromNow(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), KEEP_MS);
    this.timer.unref();
  }
}

/** Iterative: a state is as deep as its env values are, and a recursion would pay a frame per level. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object' || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const key of Object.keys(item)) stack.push((item as Record<string, unknown>)[key]);
  }
  return value;
}
