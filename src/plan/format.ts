import { plural } from '../core/plural.js';
import { describeChanges } from './describe.js';
import { summarizePlan } from './summary.js';
import type { Action, FieldChange, Plan } from './types.js';

// The CLI prints a plan and decides its exit code from one import.
export { hasChanges, summarizePlan, type PlanSummary } from './summary.js';

export interface FormatOptions {
  /** Also list unchanged apps, every change and values in full. */
  verbose?: boolean;
  /** ANSI colours on the leading symbol. */
  color?: boolean;
}

/** Changes listed per action before the rest is summed up as `+N more`, unless verbose. */
const MAX_CHANGES_SHOWN = 5;

const COLOURS = { '+': 32, '-': 31, '~': 33, '!': 35, '=': 2 } as const;
type Sign = keyof typeof COLOURS;

function changeList(changes: readonly FieldChange[], verbose: boolean): string {
  if (verbose || changes.length <= MAX_CHANGES_SHOWN) return describeChanges(changes, { truncate: !verbose });
  return `${describeChanges(changes.slice(0, MAX_CHANGES_SHOWN))}, +${changes.length - MAX_CHANGES_SHOWN} more`;
}

function describeAction(action: Action, verbose: boolean): string {
  switch (action.type) {
    case 'start':
      return `start ${plural(action.instances.length, 'instance')}`;
    case 'register':
      return 'register without starting (autostart: false)';
    case 'delete':
      return 'delete (not in the file)';
    case 'stop':
      return `stop ${plural(action.instances.length, 'instance')} (${action.reason})`;
    case 'resume':
      return `resume ${plural(action.instances.length, 'instance')} (${action.reason})`;
    case 'scale-up':
      return `scale ${action.from} → ${action.to} (+${action.instances.length}, running instances untouched)`;
    case 'scale-down':
      return `scale ${action.from} → ${action.to} (-${action.instances.length}, stops instance${action.instances.length === 1 ? '' : 's'} ${action.instances.join(', ')})`;
    case 'restart':
    case 'reload':
      return action.changes.length === 0
        ? `${action.type} ${plural(action.instances.length, 'instance')} (${action.reason})`
        : `${action.type} ${plural(action.instances.length, 'instance')}: ${changeList(action.changes, verbose)}`;
    case 'update-policy': {
      const what = action.changes.every((change) => change.field.startsWith('policy.'))
        ? 'update policy in place'
        : 'update in place';
      return `${what}: ${changeList(action.changes, verbose)}`;
    }
  }
}

/** An app the file does not name: pruned only by the file (or project) that applied it, so others say whose it is. */
function describeOrphan(plan: Plan, app: string): string {
  const owner = plan.orphanOwners?.[app];
  if (plan.owner === undefined || owner === plan.owner) return 'running but not in the file (use --prune to delete)';
  if (owner === null || owner === undefined) return 'not in the file; kept (applied before tend recorded owners)';
  return `not in the file; kept (owned by ${owner})`;
}

function symbolFor(actions: readonly Action[]): Sign {
  if (actions.some((action) => action.type === 'start' || action.type === 'register')) return '+';
  if (actions.some((action) => action.type === 'delete')) return '-';
  return '~';
}

function line(symbol: Sign, app: string, text: string, color: boolean): string {
  const head = color ? `\x1b[${COLOURS[symbol]}m${symbol}\x1b[0m` : symbol;
  return `${head} ${app}  ${text}`;
}

// Optional kinds appear in the summary only when present, so the common line stays short.
function summaryLine(plan: Plan): string {
  const s = summarizePlan(plan);
  if (plan.actions.length === 0) return `No changes. ${plural(s.unchanged, 'app')} up to date.`;
  const parts = [
    `${s.start} to start`,
    `${s.restart} to restart`,
    `${s.reload} to reload`,
    `${s.scale} to scale`,
    `${s.updateInPlace} to update in place`,
  ];
  if (s.resume > 0) parts.push(`${s.resume} to resume`);
  if (s.stop > 0) parts.push(`${s.stop} to stop`);
  if (s.register > 0) parts.push(`${s.register} to register`);
  parts.push(`${s.delete} to delete`, `${s.unchanged} unchanged`);
  return `Plan: ${parts.join(', ')}.`;
}

/**
 * `Order: db → api, worker`: the waves of `depends_on` (an arrow between waves, commas within one), for the apps the
 * plan acts on (every app with verbose); nothing when that is a single wave, where order does not matter.
 */
function orderLine(plan: Plan, verbose: boolean): string | undefined {
  if (!plan.waves) return undefined;
  const acted = new Set(plan.actions.map((action) => action.app));
  const waves = plan.waves.map((wave) => wave.filter((app) => verbose || acted.has(app))).filter((w) => w.length > 0);
  if (waves.length < 2) return undefined;
  return `Order: ${waves.map((wave) => wave.join(', ')).join(' → ')}`;
}

/**
 * The plan as a person reads it, like a diff: one line per app in execution order (all of an
 * app's actions on its line), then orphans, then a summary. No trailing newline.
 */
export function formatPlan(plan: Plan, options: FormatOptions = {}): string {
  const verbose = options.verbose ?? false;
  const color = options.color ?? false;
  const byApp = new Map<string, Action[]>();
  for (const action of plan.actions) {
    const list = byApp.get(action.app) ?? [];
    list.push(action);
    byApp.set(action.app, list);
  }
  const lines: string[] = [];
  for (const [app, actions] of byApp) {
    lines.push(
      line(symbolFor(actions), app, actions.map((action) => describeAction(action, verbose)).join('; '), color),
    );
  }
  if (verbose) for (const app of plan.unchanged) lines.push(line('=', app, 'unchanged', color));
  for (const app of plan.orphans) lines.push(line('!', app, describeOrphan(plan, app), color));
  const order = orderLine(plan, verbose);
  if (order) lines.push('', order);
  return lines.length > 0 ? `${lines.join('\n')}\n\n${summaryLine(plan)}` : summaryLine(plan);
}
