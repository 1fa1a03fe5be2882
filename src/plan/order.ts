import type { ActionType } from './types.js';

/**
 * Execution order of action kinds. Deletes free ports and names first; stops and scale-downs
 * come before restarts so nothing is restarted only to be removed; updates in place come before
 * starts so new instances see the stored spec. Changes to existing instances run before scale-up,
 * so a broken new spec fails on one restarted instance before more instances are added.
 */
export const ACTION_ORDER = {
  delete: 0,
  stop: 1,
  'scale-down': 2,
  restart: 3,
  reload: 3,
  'update-policy': 4,
  start: 5,
  register: 5,
  resume: 5,
  'scale-up': 5,
} as const satisfies Record<ActionType, number>;

/** How many distinct positions ACTION_ORDER uses. */
export const ACTION_GROUPS = 6;
