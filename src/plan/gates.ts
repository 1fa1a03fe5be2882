import { TendError } from '../core/errors.js';
import type { Action, ActionType, Plan } from './types.js';

/** What an action costs the users of an app: nothing, a reload (no downtime), a restart (downtime), a stop, a delete. */
export type Disruption = 'none' | 'reload' | 'restart' | 'stop' | 'delete';

const DISRUPTION: Record<ActionType, Disruption> = {
  start: 'none',
  register: 'none',
  resume: 'none',
  'scale-up': 'none',
  'update-policy': 'none',
  reload: 'reload',
  restart: 'restart',
  stop: 'stop',
  'scale-down': 'stop',
  delete: 'delete',
};

export function disruptionOf(action: Action): Disruption {
  return DISRUPTION[action.type];
}

/**
 * Instances the action takes down at once. A reload takes none (each new worker is ready before its old one goes);
 * a restart, stop or delete takes all it names, since the executor acts on an app's instances together.
 */
export function unavailableOf(action: Action): number {
  const disruption = disruptionOf(action);
  if (disruption === 'none' || disruption === 'reload' || !('instances' in action)) return 0;
  return action.instances.length;
}

/** What `--deny` may name: any action type, `scale` for both directions. */
export const DENIABLE = [...Object.keys(DISRUPTION), 'scale'] as const;

export interface Gates {
  deny?: string[];
  maxUnavailable?: number;
}

/** `--deny restart,delete`, checked: an unknown kind is a usage error, not a gate that never closes. */
export function parseDeny(text: string): string[] {
  const kinds = text
    .split(/[,\s]+/)
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(DENIABLE as readonly string[]).includes(kind));
  if (unknown.length > 0 || kinds.length === 0)
    throw new TendError(
      'USAGE',
      `--deny: ${unknown.length > 0 ? `unknown action kind ${unknown.map((k) => `\`${k}\``).join(', ')}` : 'no action kind given'}; use ${DENIABLE.join(', ')}`,
    );
  return kinds;
}

export function parseMaxUnavailable(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === '')
    throw new TendError('USAGE', `--max-unavailable: expected a whole number of instances (0 or more); got "${text}"`);
  return n;
}

function denies(deny: ReadonlySet<string>, action: Action): boolean {
  if (deny.has(action.type)) return true;
  return deny.has('scale') && (action.type === 'scale-up' || action.type === 'scale-down');
}

/** Each way the plan breaks the gates, one line each for the user; empty when it passes. */
export function gateViolations(plan: Plan, gates: Gates): string[] {
  const violations: string[] = [];
  const deny = new Set(gates.deny ?? []);
  for (const action of plan.actions)
    if (denies(deny, action))
      violations.push(`${action.app}: ${action.type} is denied (--deny ${[...deny].join(',')}): ${action.reason}`);
  if (gates.maxUnavailable !== undefined) {
    const down = plan.actions.filter((action) => unavailableOf(action) > 0);
    const total = down.reduce((sum, action) => sum + unavailableOf(action), 0);
    if (total > gates.maxUnavailable)
      violations.push(
        `${total} instances would be down at once, over --max-unavailable ${gates.maxUnavailable}: ${down.map((a) => `${a.app} ${a.type} ${unavailableOf(a)}`).join(', ')}`,
      );
  }
  return violations;
}

export function deniedError(violations: readonly string[]): TendError {
  return new TendError('PLAN_DENIED', 'the plan breaks the gates it was given; nothing was changed', {
    problems: violations.map((message) => ({ message })),
  });
}
