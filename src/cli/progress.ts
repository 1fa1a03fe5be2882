import type { ApplyEvent, ApplyResult, Methods } from '../api/methods.js';
import type { Plan } from '../plan/types.js';
import type { DaemonClient } from './client.js';
import { paint, statusStyle } from './output.js';

/**
 * Shows instances coming up: on a terminal one line per instance rewritten in place,
 * otherwise one line when each instance is ready or failed (logs and CI stay readable).
 */
export function renderProgress(
  stream: NodeJS.WriteStream,
  color: boolean,
  onPlan: (plan: Plan) => void = () => {},
): { onEvent(event: ApplyEvent): void; done(): void } {
  const live = stream.isTTY === true;
  const order: string[] = [];
  const state = new Map<string, string>();
  let drawn = 0;
  const redraw = (): void => {
    if (drawn > 0) stream.write(`\u001b[${drawn}A`);
    for (const key of order) stream.write(`\u001b[2K${state.get(key)}\n`);
    drawn = order.length;
  };
  return {
    onEvent(event) {
      if (event.kind === 'plan') {
        onPlan(event.plan);
        return;
      }
      if (event.kind === 'action') {
        stream.write(`${event.text}\n`);
        return;
      }
      const key = `${event.app}[${event.instance}]`;
      const text = `${paint(event.status.padEnd(9), statusStyle(event.status), color)} ${key} id ${event.id}${event.pid ? ` pid ${event.pid}` : ''}${event.detail ? ` — ${event.detail}` : ''}`;
      if (!state.has(key)) order.push(key);
      state.set(key, text);
      if (live) redraw();
      // An instance that ended its wait without being ready says so (`ready:` past listen_timeout) even when not live.
      else if (event.status === 'ready' || event.status === 'failed' || event.detail !== undefined)
        stream.write(`${text}\n`);
    },
    done() {
      const failed = [...state.values()].filter((s) => s.includes('failed')).length;
      const total = order.length;
      if (total > 0) stream.write(`${total - failed}/${total} instances up\n`);
    },
  };
}

type ProgressMethod = 'apply' | 'start' | 'restart' | 'reload' | 'scale' | 'resurrect';

/** Calls a daemon method that starts processes, showing them come up as it goes (and its plan, given onPlan). */
export async function callWithProgress<M extends ProgressMethod>(
  client: DaemonClient,
  method: M,
  params: Methods[M]['params'],
  color: boolean,
  onPlan?: (plan: Plan) => void,
): Promise<ApplyResult> {
  const progress = renderProgress(process.stdout, color, onPlan);
  const result = await client.call(method, params, (event) => progress.onEvent(event as ApplyEvent));
  progress.done();
  return result as ApplyResult;
}

/** Prints failures with the last lines of each failed instance's error log; non-zero when any failed. */
export function reportResult(result: ApplyResult, color: boolean): number {
  const notStarted = result.notStarted ?? [];
  if (result.failed.length === 0 && notStarted.length === 0) return 0;
  for (const f of result.failed) {
    process.stderr.write(`${paint('✗', 'red', color)} ${f.app}[${f.instance}] (id ${f.id}) ${f.reason}\n`);
    if (f.lastLines.length > 0) {
      process.stderr.write(`  last lines of ${f.errLog}:\n`);
      for (const line of f.lastLines) process.stderr.write(`    ${line}\n`);
    }
  }
  // After the failures they follow from: `✗ web not started: api failed (exited with code 1 while starting)`.
  for (const app of notStarted) process.stderr.write(`${paint('✗', 'red', color)} ${app.reason}\n`);
  if (result.restored) {
    const how = result.restored.map((r) =>
      r.how === 'deleted' ? `${r.app} (deleted: it was new)` : `${r.app} (its previous spec)`,
    );
    process.stderr.write(`--atomic: the apply failed, so what it touched was put back: ${how.join(', ')}\n`);
  }
  return 1;
}
