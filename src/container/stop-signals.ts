/**
 * The stop signals (SIGTERM, SIGINT, …) from the moment tend-runtime has started something: one that comes before
 * the daemon can stop the apps is kept, not left to Node's default (an exit that would leave the apps started early
 * running, unsupervised), and handed over once the daemon is there.
 */
export class StopSignals {
  private first: NodeJS.Signals | null = null;
  private handler: ((signal: NodeJS.Signals) => void) | null = null;

  constructor(signals: readonly NodeJS.Signals[]) {
    for (const signal of signals)
      process.on(signal, () => {
        if (this.handler) this.handler(signal);
        else this.first ??= signal;
      });
  }

  /** The signal that came while nobody could act on it yet, if one did. */
  get pending(): NodeJS.Signals | null {
    return this.first;
  }

  /** From now on each signal goes to `handler`; one that came before goes to it at once. */
  handTo(handler: (signal: NodeJS.Signals) => void): void {
    this.handler = handler;
    if (this.first !== null) handler(this.first);
  }
}
