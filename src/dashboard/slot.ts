import type { DashboardInfo } from '../api/methods.js';
import type { DashboardBackend } from './backend.js';
import type { DashboardHost } from './host.js';
import { forgetDashboard, type RememberedDashboard, readRememberedDashboard, rememberDashboard } from './remembered.js';

/** How long `ping` waits for the dashboard of the previous daemon to be served again (a slow name lookup must not hang the CLI). */
const REOPEN_WAIT_MS = 2000;
/** A port in use is tried this many times, this far apart, before the reopen gives up (see openRetrying). */
const REOPEN_ATTEMPTS = 5;
const REOPEN_RETRY_MS = 100;

/**
 * The daemon's only always-loaded piece of the dashboard. The server, the page, the token and the backend are imported
 * when a dashboard is opened, so an idle daemon does not carry them; what was opened is remembered in the home until
 * `tend dashboard --stop`, so a daemon that replaces a killed or updated one serves it again on the same address.
 */
export class DashboardSlot {
  private host: DashboardHost | null = null;
  /** Open, stop and reopen run one after another: a `tend dashboard` during the reopen waits for it. */
  private queue: Promise<unknown> = Promise.resolve();
  private reopening: Promise<void> = Promise.resolve();

  constructor(
    private readonly home: string,
    /** Made when a dashboard is first opened: the daemon's handlers, list and usage history behind one interface. */
    private readonly backend: () => DashboardBackend,
  ) {}

  /** `tend dashboard`: serves, then remembers the address actually bound (port 0 becomes the port the system chose). */
  open(params: { host?: unknown; port?: unknown; metricsPublic?: unknown }): Promise<DashboardInfo> {
    return this.serial(async () => {
      const host = await this.load();
      let info: DashboardInfo;
      try {
        info = await host.open(params);
      } catch (err) {
        // The old server was closed before the new one failed: nothing serves, so nothing is to come back.
        if (!host.serving) this.forget();
        throw err;
      }
      try {
        await rememberDashboard(this.home, { host: info.host, port: info.port, metricsPublic: info.metricsPublic });
      } catch (err) {
        console.error('tend daemon: the dashboard serves, but a new daemon will not serve it again:', err);
      }
      return info;
    });
  }

  /** `tend dashboard --stop`: stops serving and forgets, so the next daemon does not serve it either. */
  stop(): Promise<{ stopped: boolean }> {
    return this.serial(async () => {
      this.forget();
      const stopped = this.host ? (await this.host.close()).stopped : false;
      return { stopped };
    });
  }

  /** The daemon is going away: the server closes, the address stays remembered for the next daemon. */
  close(): Promise<void> {
    return this.serial(async () => {
      await this.host?.close();
    });
  }

  /**
   * At daemon start: serves the remembered dashboard again. A failure (the port taken meanwhile) never stops the
   * daemon; it goes to daemon.log and into `warnings`, the list `ping` reports to the next CLI command.
   */
  reopen(warnings: string[]): void {
    this.reopening = this.serial(async () => {
      let remembered;
      try {
        remembered = readRememberedDashboard(this.home);
      } catch (err) {
        this.warn(
          warnings,
          `${(err as Error).message}; the dashboard was not served again (\`tend dashboard\` serves it)`,
        );
        return;
      }
      if (!remembered) return;
      try {
        await this.openRetrying(await this.load(), remembered);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        this.warn(
          warnings,
          `the dashboard (${remembered.host}:${remembered.port}) was not served again: ${reason}; \`tend dashboard --stop\` forgets it`,
        );
      }
    }).catch((err: unknown) => console.error('tend daemon: reopening the dashboard failed:', err));
  }

  /** Resolves once the start-time reopen is done (or took too long), so `ping` reports how it went. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, REOPEN_WAIT_MS);
      timer.unref();
      void this.reopening.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sampler tick: a no-op (no import, no allocation) while no dashboard was opened. */
  tick(): void {
    this.host?.tick();
  }

  changed(): void {
    this.host?.changed();
  }

  /**
   * A daemon killed with SIGKILL holds its sockets until its last thread is gone, a few milliseconds after its pid
   * looks dead: the port it served is tried again for a moment before it is called taken.
   */
  private async openRetrying(host: DashboardHost, remembered: RememberedDashboard): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await host.open(remembered);
        return;
      } catch (err) {
        const code = (err as { cause?: NodeJS.ErrnoException }).cause?.code;
        if (code !== 'EADDRINUSE' || attempt >= REOPEN_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, REOPEN_RETRY_MS));
      }
    }
  }

  private async load(): Promise<DashboardHost> {
    if (this.host) return this.host;
    const { DashboardHost } = await import('./host.js');
    this.host = new DashboardHost(this.home, this.backend);
    return this.host;
  }

  private forget(): void {
    try {
      forgetDashboard(this.home);
    } catch (err) {
      console.error('tend daemon: cannot forget the dashboard (a new daemon may serve it again):', err);
    }
  }

  private warn(warnings: string[], message: string): void {
    console.error(`tend daemon: ${message}`);
    warnings.push(message);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
