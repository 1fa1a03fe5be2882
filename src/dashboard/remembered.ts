import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../core/atomic-file.js';

/** Where the dashboard listens, kept in the home while it is open so that the next daemon serves it again. */
export interface RememberedDashboard {
  host: string;
  port: number;
  /** `/metrics` was opened to anyone who can reach the address (`--metrics-public`). */
  metricsPublic: boolean;
}

/** The file in the home: present from `tend dashboard` until `tend dashboard --stop`. */
export function rememberedFile(home: string): string {
  return join(home, 'dashboard.json');
}

/** Written atomically and 0600, like state.json: a daemon killed mid-write leaves the old file or the new one. */
export function rememberDashboard(home: string, value: RememberedDashboard): Promise<void> {
  const { host, port, metricsPublic } = value;
  return writeFileAtomically(rememberedFile(home), `${JSON.stringify({ host, port, metricsPublic })}\n`);
}

/** Null when no dashboard was open; throws with a message naming the file when it cannot be used. */
export function readRememberedDashboard(home: string): RememberedDashboard | null {
  const file = rememberedFile(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file} cannot be read: ${(err as Error).message}`);
  }
  return parseRemembered(text, file);
}

/** The file's shape, checked: it is read by a daemon at start, so anything else is refused with a reason. */
export function parseRemembered(text: string, file: string): RememberedDashboard {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const { host, port, metricsPublic } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof host !== 'string' || host.trim() === '') throw new Error(`${file} has no \`host\``);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${file}: \`port\` must be a port from 1 to 65535; got ${JSON.stringify(port)}`);
  }
  // A file written before `--metrics-public` existed has no such key: `/metrics` then needs a token, as it does now.
  return { host, port, metricsPublic: metricsPublic === true };
}

/** Returns whether there was something to forget. */
export function forgetDashboard(home: string): boolean {
  try {
    unlinkSync(rememberedFile(home));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
