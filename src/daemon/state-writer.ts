import type { StoredState } from './state-store.js';
import { writeStateAtomically } from './state-store.js';

/**
 * Writes the state file off the daemon's thread, one write at a time: a request while a write is on its way asks
 * for one more after it, of the state as it is then, so a burst of changes (50 apps starting) costs a few writes,
 * and an older state never lands after a newer one. A write that failed is owed: the next one is as durable.
 */
export class StateWriter {
  private writing: Promise<void> | null = null;
  private again = false;
  private durableOwed = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StoredState,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Writes soon: now, or after the write on its way. */
  request(durable: boolean): void {
    this.durableOwed ||= durable;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.writeUntilCurrent();
  }

  /** Resolves once the state as it is now is on disk (durably when asked): before the daemon exits. */
  async flush(durable: boolean): Promise<void> {
    this.request(durable);
    await this.writing;
  }

  private async writeUntilCurrent(): Promise<void> {
    do {
      this.again = false;
      const durable = this.durableOwed;
      this.durableOwed = false;
      try {
        await writeStateAtomically(this.file, this.snapshot(), { durable });
      } catch (error) {
        this.durableOwed ||= durable;
        this.onError(error);
      }
    } while (this.again);
    this.writing = null;
  }
}
