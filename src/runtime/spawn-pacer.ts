/**
 * Spends at most about `budgetMs` of each turn of the event loop on forks. A fork of the daemon is synchronous and
 * takes milliseconds (more the busier the machine: 7-15 ms on a loaded 2-core one); a 500-app apply forked all its
 * apps in one stretch once the state file was written, and a `tend ls` from another shell waited seconds behind them.
 * Between turns the daemon serves sockets and timers. A fork goes at once while its turn has time left, so a single
 * restart never waits; the rest wait for later turns, in the order they asked.
 */
export class SpawnPacer {
  private spent = 0;
  private turnEndArmed = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `launch` (the fork and whatever must happen in the same tick as it) in a turn with time left. */
  run<T>(launch: () => T): Promise<T> {
    if (this.waiting.length === 0 && this.spent < this.budgetMs) {
      try {
        return Promise.resolve(this.timed(launch));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(this.timed(launch));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private timed<T>(launch: () => T): T {
    const started = this.now();
    try {
      return launch();
    } finally {
      this.spent += this.now() - started;
      if (!this.turnEndArmed) {
        this.turnEndArmed = true;
        setImmediate(this.nextTurn);
      }
    }
  }

  private readonly nextTurn = (): void => {
    this.turnEndArmed = false;
    this.spent = 0;
    while (this.waiting.length > 0 && this.spent < this.budgetMs) this.waiting.shift()!();
  };
}
