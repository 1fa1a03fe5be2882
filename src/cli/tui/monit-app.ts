import type { ApplyResult, ProcessView } from '../../api/methods.js';
import { isTendError } from '../../core/errors.js';
import { MonitSamples } from './monit-samples.js';
import { keyActions, type KeyAction } from './keys.js';
import { displayName, renderScreen, type MonitView } from './layout.js';
import type { LogTail } from './log-tail.js';
import { keepSelection, moveSelection } from './selection.js';
import type { Screen } from './terminal.js';

/** What the dashboard does to the world, passed in so the loop can be driven by fakes. */
export interface MonitPorts {
  list(): Promise<ProcessView[]>;
  restart(id: number): Promise<ApplyResult>;
  stop(id: number): Promise<ProcessView[]>;
  terminal: Screen;
  /** Built by the app with its own redraw and error callbacks. */
  logTail(onChange: () => void, onError: (error: Error) => void): LogTail;
  now(): number;
}

export interface MonitTiming {
  pollMs: number;
  frameMs: number;
  historySamples: number;
}

/** How the dashboard ended: an exit code, and a message to print once the terminal is back. */
export interface MonitOutcome {
  code: number;
  message?: string;
}

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };

/**
 * `tend monit`'s loop: polls the daemon's list every second (the history stays in the CLI),
 * follows the selected process's logs, redraws at most every frame interval, and turns keys into
 * actions. Resolves once the terminal has been restored, whichever way it ended.
 */
export function runMonit(
  ports: MonitPorts,
  first: ProcessView[],
  timing: MonitTiming,
  color: boolean,
): Promise<MonitOutcome> {
  const history = new MonitSamples(timing.historySamples);
  let views = first;
  let selectedId: number | null = first[0]?.id ?? null;
  let message: MonitView['message'] = null;
  let dirty = true;
  let polling = false;
  let finished = false;
  let listRowsHint = 10;
  history.record(first);

  return new Promise<MonitOutcome>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const signals: Array<[NodeJS.Signals, () => void]> = [];

    const finish = (outcome: MonitOutcome): void => {
      if (finished) return;
      finished = true;
      for (const timer of timers) clearInterval(timer);
      for (const [signal, handler] of signals) process.off(signal, handler);
      logs.close();
      ports.terminal.restore();
      resolve(outcome);
    };
    // A bug in a callback ends the dashboard with the terminal restored, and is reported, not swallowed.
    const guard =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        try {
          fn(...args);
        } catch (error) {
          finish({ code: 1, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        }
      };

    const say = (text: string, kind: 'info' | 'error' = 'info'): void => {
      message = { text, kind };
      dirty = true;
    };
    const logs = ports.logTail(
      () => {
        dirty = true;
      },
      (error) => say(`logs: ${error.message}`, 'error'),
    );

    const draw = (): void => {
      if (finished) return;
      dirty = false;
      const size = ports.terminal.size();
      listRowsHint = Math.max(1, Math.floor(size.rows / 3));
      const frame: MonitView = {
        views,
        selectedId,
        history: (id) => history.of(id),
        logs: logs.lines(),
        message,
        now: ports.now(),
      };
      ports.terminal.draw(renderScreen(frame, size, color));
    };

    const selected = (): ProcessView | undefined => views.find((v) => v.id === selectedId);

    const poll = (): void => {
      if (polling || finished) return;
      polling = true;
      ports
        .list()
        .then(
          guard((next: ProcessView[]) => {
            // An answer that arrives after quitting must not start followers that keep the process alive.
            if (finished) return;
            selectedId = keepSelection(views, next, selectedId);
            views = next;
            history.record(next);
            logs.show(selected());
            dirty = true;
          }),
          guard((error: unknown) => {
            if (finished) return;
            if (isTendError(error) && error.code === 'DAEMON_UNREACHABLE') {
              finish({
                code: 1,
                message:
                  'the tend daemon is gone; monit stopped (start it again with any tend command, e.g. `tend ls`)',
              });
            } else {
              say(`could not list processes: ${error instanceof Error ? error.message : String(error)}`, 'error');
            }
          }),
        )
        .finally(() => {
          polling = false;
        });
    };

    const act = (verb: 'restart' | 'stop'): void => {
      const target = selected();
      if (!target) return;
      const name = `${displayName(target, views)} (id ${target.id})`;
      say(verb === 'restart' ? `restarting ${name}…` : `stopping ${name}…`);
      const done =
        verb === 'restart'
          ? ports.restart(target.id).then((r) => failureOf(r))
          : ports.stop(target.id).then(() => null);
      done.then(
        guard((failure: string | null) => {
          if (finished) return;
          if (failure) say(`${name}: ${failure}`, 'error');
          else say(verb === 'restart' ? `restarted ${name}` : `stopped ${name}`);
          poll();
        }),
        guard((error: unknown) =>
          say(`${verb} ${name} failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
        ),
      );
      draw();
    };

    const onAction = (action: KeyAction): void => {
      switch (action) {
        case 'quit':
          finish({ code: 0 });
          return;
        case 'restart':
        case 'stop':
          act(action);
          return;
        case 'redraw':
          draw();
          return;
        default: {
          const next = moveSelection(views, selectedId, action, listRowsHint);
          if (next !== selectedId) {
            selectedId = next;
            logs.show(selected());
          }
          draw();
        }
      }
    };

    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = (): void => finish({ code: SIGNAL_CODES[signal] ?? 1 });
      signals.push([signal, handler]);
      process.on(signal, handler);
    }
    ports.terminal.enter(
      guard((data: string) => {
        for (const action of keyActions(data)) {
          if (!finished) onAction(action);
        }
      }),
      guard(() => draw()),
    );
    logs.show(selected());
    draw();
    timers.push(setInterval(guard(poll), timing.pollMs));
    timers.push(
      setInterval(
        guard(() => {
          if (dirty) draw();
        }),
        timing.frameMs,
      ),
    );
    // The clock in the title moves even when nothing else does.
    timers.push(
      setInterval(() => {
        dirty = true;
      }, 1000),
    );
  });
}

function failureOf(result: ApplyResult): string | null {
  if (result.failed.length === 0) return null;
  return result.failed.map((f) => f.reason).join('; ');
}
