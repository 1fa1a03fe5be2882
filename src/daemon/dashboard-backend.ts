import type { ProcessView } from '../api/methods.js';
import type { DashboardBackend } from '../dashboard/backend.js';
import type { UsageHistory } from './usage-history.js';

type Handler = (params: unknown, emit: (event: unknown) => void) => Promise<unknown>;

/** The parts of the daemon the dashboard reaches: its list, its usage history and its operations. */
export interface DashboardSource {
  list(): ProcessView[];
  readonly usageHistory: UsageHistory;
  handlers(): object;
}

/** Wires the dashboard to the daemon's own handlers, so a button goes through the same queue as a CLI command. */
export function daemonBackend(daemon: DashboardSource): DashboardBackend {
  const noProgress = (): void => undefined;
  const handler = (name: string): Handler => {
    const handlers = daemon.handlers() as unknown as Record<string, Handler | undefined>;
    // A daemon without its own `reload` (fork mode only) restarts instead, as `tend reload` does.
    const found = handlers[name] ?? (name === 'reload' ? handlers.restart : undefined);
    if (!found) throw new Error(`the daemon has no \`${name}\` operation`);
    return found;
  };
  return {
    list: () => daemon.list(),
    usage: (since) => daemon.usageHistory.all(since),
    latestUsage: () => daemon.usageHistory.latest(),
    // By id only: an app named by a number must not take another process's button.
    act: (action, target) => handler(action)({ targets: [], ids: [Number(target)] }, noProgress),
    scale: (app, count) => handler('scale')({ app, count }, noProgress),
  };
}
