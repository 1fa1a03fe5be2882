import type { ProcessView, UsageSeries } from '../api/methods.js';

/** The buttons of the page; each maps to an existing daemon operation. */
export type ProcessAction = 'restart' | 'reload' | 'stop' | 'start';

/** What the dashboard needs from the daemon: its state, its usage history and its operations (the same ones the CLI calls). */
export interface DashboardBackend {
  list(): ProcessView[];
  usage(since?: number): Record<number, UsageSeries>;
  latestUsage(): Array<{ id: number; t: number; cpu: number; rss: number }>;
  /** Resolves with the operation's result (an ApplyResult for restart/start); rejects with a TendError for bad targets. */
  act(action: ProcessAction, target: string): Promise<unknown>;
  scale(app: string, count: string): Promise<unknown>;
}
