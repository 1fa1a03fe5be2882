import { isIP } from 'node:net';
import { tokenMatches } from './token.js';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '::ffff:127.0.0.1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export interface AccessRequest {
  method: string;
  /** The URL's path: the page shell and `/metrics` have rules of their own. */
  path: string;
  authorization: string | undefined;
  queryToken: string | null;
}

export interface AccessPolicy {
  /** The dashboard's token: everything, actions included. */
  token: string;
  /** A read-only token for Prometheus: `/metrics` and nothing else. */
  metricsToken: string;
  /** `tend dashboard --metrics-public`: `/metrics` for anyone who can reach the address. */
  metricsPublic: boolean;
}

export type AccessDecision = { ok: true; authorised: boolean } | { ok: false; status: 401; reason: string };

/** The page itself holds no data (it asks for the token before it reads anything), so it is served to anyone. */
const PAGE_PATHS = new Set(['/', '/index.html']);

/**
 * Who may do what. Every read and every action needs the dashboard's token, on loopback too: every local account can
 * reach 127.0.0.1, and the dashboard shows every app's logs, which tend's home (0700) and log files (0640) keep from
 * them. Only the page shell is open; `/metrics` also takes the read-only metrics token, or nothing with `--metrics-public`.
 */
export function decideAccess(request: AccessRequest, policy: AccessPolicy): AccessDecision {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1] ?? null;
  const given = (token: string): boolean => tokenMatches(bearer, token) || tokenMatches(request.queryToken, token);
  if (given(policy.token)) return { ok: true, authorised: true };
  const read = request.method === 'GET' || request.method === 'HEAD';
  if (read && PAGE_PATHS.has(request.path)) return { ok: true, authorised: false };
  if (read && request.path === '/metrics' && (policy.metricsPublic || given(policy.metricsToken)))
    return { ok: true, authorised: false };
  return {
    ok: false,
    status: 401,
    reason: read
      ? 'every request needs the token `tend dashboard` prints (Authorization: Bearer <token>, or ?token= in the address)'
      : 'actions need the token (Authorization: Bearer <token>)',
  };
}
