import type { PolicySpec } from '../config/types.js';
import { defaults } from '../core/defaults.js';

/**
 * The wait before the next automatic restart, as PM2 computes it (pm2.md §3.1).
 * `previousDelayMs` is the last exponential delay, or null when the backoff starts over
 * (first crash, after expBackoffResetMs of uptime, after a manual restart).
 */
export function nextBackoffDelay(policy: PolicySpec, previousDelayMs: number | null): number {
  const first = policy.expBackoffRestartDelayMs;
  if (first === null) return policy.restartDelayMs;
  if (previousDelayMs === null) return first;
  return Math.floor(Math.min(defaults.expBackoffMaxMs, previousDelayMs * defaults.expBackoffFactor));
}
