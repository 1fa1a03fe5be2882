/** Who an answer is about: one process, as `tend ls` names it. */
export interface ProcessRef {
  id: number;
  name: string;
  instance: number;
  pid: number | null;
}

/** What `tend sendSignal` did to one process: the signal went to its main pid, or why it could not. */
export interface SignalOutcome extends ProcessRef {
  sent: boolean;
  error?: string;
}

/** The environment one process starts with (PM2's `env <id>`), secret-looking values masked unless asked. */
export interface ProcessEnvView extends ProcessRef {
  env: Record<string, string>;
  /** The names whose values were masked. */
  masked: string[];
}

/** What `tend send` did for one process: the lines written to its stdin, or why they could not be. */
export interface StdinOutcome extends ProcessRef {
  ok: boolean;
  /** Bytes written (lines and their newlines). */
  bytes?: number;
  error?: string;
  /**
   * Why not: a cluster worker (no stdin, as PM2), not running, started without tend's stdin (an instance started
   * before tend had one, or one that replaced its stdin), or its input is full (it does not read it).
   */
  reason?: 'cluster' | 'not-running' | 'no-stdin' | 'full';
}
