import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The token file in the home: read by the daemon, printed by `tend dashboard`. */
export function tokenFile(home: string): string {
  return join(home, 'dashboard.token');
}

/** The read-only token for Prometheus scrapes of `/metrics`: it reads figures, never logs, and acts on nothing. */
export function metricsTokenFile(home: string): string {
  return join(home, 'metrics.token');
}

/** The dashboard's token, made once (192 random bits) and kept in a 0600 file so it survives daemon restarts. */
export function loadOrCreateToken(file: string): { token: string; created: boolean } {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) {
      chmodSync(file, 0o600);
      return { token, created: false };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(24).toString('base64url');
  // An empty or truncated file is replaced; mode 0600 from the first byte.
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true };
}

/** Compares in constant time, so the answer's timing tells nothing about the token. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
