/**
 * The probe inside a Node app and the daemon talk over `probe.sock` in the home, one JSON object per line
 * (src/core/ndjson.ts frames it; unreadable lines are skipped).
 * The daemon is the server; the probe is a client that reconnects, so apps outlive any daemon.
 */

/** The file name of the probe socket, in the home beside `tend.sock`. */
export const PROBE_SOCKET_NAME = 'probe.sock';

/** Longest line either side reads; a longer one is a bug or an attack, and the connection is dropped. */
export const MAX_PROBE_LINE_BYTES = 1024 * 1024;

/** What the probe sends. */
export type ProbeMessage =
  /** First line of every connection: who this is (tend's id from TEND_ID and the pid) and the actions it offers. */
  | { t: 'hello'; id: number; pid: number; actions: string[] }
  /** Every interval: the runtime's figures and the app's own metrics, flat. */
  | { t: 'metrics'; metrics: Record<string, number> }
  /** The app registered an action after the hello. */
  | { t: 'actions'; actions: string[] }
  /** The answer to one `run`. */
  | { t: 'answer'; req: number; ok: true; answer: unknown }
  | { t: 'answer'; req: number; ok: false; error: string; missing?: boolean };

/** What `tend profile` takes: a CPU profile, a heap snapshot, or a sampling heap profile (allocations over time). */
export type ProfileKind = 'cpu' | 'heap' | 'heap-sampling';

/** What the daemon sends. */
export type DaemonMessage =
  /** Runs an action (`tend trigger`). */
  | { t: 'run'; req: number; action: string; arg?: string }
  /** Takes a profile over `ms` (a heap snapshot takes no time) and writes it to `file` (`tend profile`). */
  | { t: 'profile'; req: number; kind: ProfileKind; ms: number; file: string }
  /** Opens the app's inspector on 127.0.0.1 (or closes it) and answers its ws:// address (`tend inspect`). */
  | { t: 'inspect'; req: number; open: boolean }
  /** Send one report in `every` intervals: 1 while someone reads the figures, fewer while nobody does. */
  | { t: 'pace'; every: number };

/** Checks a line from a probe: the daemon reads it from any process that can reach the socket, so nothing is trusted. */
export function parseProbeMessage(value: unknown): ProbeMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.t) {
    case 'hello':
      return Number.isSafeInteger(m.id) && Number.isSafeInteger(m.pid) && isNameList(m.actions)
        ? { t: 'hello', id: m.id as number, pid: m.pid as number, actions: m.actions }
        : null;
    case 'metrics':
      return isNumberRecord(m.metrics) ? { t: 'metrics', metrics: m.metrics } : null;
    case 'actions':
      return isNameList(m.actions) ? { t: 'actions', actions: m.actions } : null;
    case 'answer':
      if (!Number.isSafeInteger(m.req)) return null;
      if (m.ok === true) return { t: 'answer', req: m.req as number, ok: true, answer: m.answer };
      return {
        t: 'answer',
        req: m.req as number,
        ok: false,
        error: String(m.error ?? 'failed'),
        missing: m.missing === true,
      };
    default:
      return null;
  }
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v));
}
