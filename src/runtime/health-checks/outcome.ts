/** What one check found: passed or not, and what it saw, in words for `tend show` and the daemon's log. */
export interface CheckOutcome {
  ok: boolean;
  message: string;
}

/** A duration as checks' messages say it: "2s", "500ms". */
export function shortDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The part of a socket or spawn error that tells what happened: "connection refused (ECONNREFUSED)". */
export function errorWords(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENOENT: 'command not found',
    EACCES: 'permission denied',
  };
  if (typeof code === 'string') return `${known[code] ?? (err as Error).message} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
