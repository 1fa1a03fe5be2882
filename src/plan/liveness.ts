import type { ProcessStatus } from '../supervisor/status.js';

// A process on its way up, up, between restarts or on its way down is tend's to look after:
// apply neither resumes it nor counts it as stopped.
const LIVE: ReadonlySet<ProcessStatus> = new Set<ProcessStatus>(['launching', 'online', 'waiting-restart', 'stopping']);

/** Whether an instance counts as running for planning: restarted on a change, never resumed. */
export function isLive(status: ProcessStatus): boolean {
  return LIVE.has(status);
}
