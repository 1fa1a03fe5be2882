import type { StoredState } from './state-store.js';
import { writeStateAtomically } from './state-store.js';

/**
 * Writes the state file off the daemon's thread, `debounceMs` after the first change of a burst and one write at a
 * time: a change while a write is on its way asks for one more after it, of the state as it is then, so a burst of
 * changes (50 apps starting) costs a few writes, and an older state never lands after a newer one. A change the user
 * asked for makes the next write durable; a write that failed is owed, so the next one is as durable.
 */
export class StateWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private again = false;
  private durableOwed = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StoredState,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 0,
    /** Told of each state that reached the file (renamed into place), durable or not. */
    private readonly onWritten: (state: StoredState) => void = () => undefined,
  ) {}

  /** Something changed: written within `debounceMs`, durably when `durable`. */
  changed(durable: boolean): void {
    this.durableOwed ||= durable;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, this.debounceMs);
  }

  /** Resolves once the state as it is now is on disk (durably when asked): before the daemon exits. */
  async flush(durable: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.durableOwed ||= durable;
    this.start();
    await this.writing;
  }

  private start(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.writeUntilCurrent();
  }

  private async writeUntilCurrent(): Promise<void> {
    do {
      this.again = false;
      const durable = this.durableOwed;
      this.durableOwed = false;
      try {
        const state = this.snapshot();
        await writeStateAtomically(this.file, state, { durable });
        this.onWritten(state);
      } catch (error) {
        this.durableOwed ||= durable;
        this.onError(error);
      }
    } while (this.again);
    this.writing = null;
  }
}
