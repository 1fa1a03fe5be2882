import { isIP } from 'node:net';
import { tokenMatches } from './token.js';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '::ffff:127.0.0.1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The host name of a Host header, without its port. */
export function hostOfHeader(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon >= 0 ? header.slice(0, colon) : header;
}

export interface AccessRequest {
  method: string;
  /** The Host header; a page on another site that rebinds its DNS name to 127.0.0.1 sends its own name here. */
  host: string | undefined;
  authorization: string | undefined;
  queryToken: string | null;
}

export type AccessDecision = { ok: true; authorised: boolean } | { ok: false; status: 401 | 403; reason: string };

/**
 * Who may do what: actions (anything but GET/HEAD) always need the token; on a non-loopback bind
 * everything does; on loopback, reads are open to pages served from a loopback name only.
 */
export function decideAccess(request: AccessRequest, policy: { token: string; bindHost: string }): AccessDecision {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1] ?? null;
  const authorised = tokenMatches(bearer, policy.token) || tokenMatches(request.queryToken, policy.token);
  if (authorised) return { ok: true, authorised };
  const read = request.method === 'GET' || request.method === 'HEAD';
  if (!isLoopbackHost(policy.bindHost))
    return {
      ok: false,
      status: 401,
      reason: 'this dashboard listens beyond this machine: every request needs the token',
    };
  if (!read) return { ok: false, status: 401, reason: 'actions need the token (Authorization: Bearer <token>)' };
  if (!request.host || !isLoopbackHost(hostOfHeader(request.host))) {
    return {
      ok: false,
      status: 403,
      reason: 'reads without the token are open only to http://127.0.0.1 or http://localhost',
    };
  }
  return { ok: true, authorised };
}
