import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AccessRequest, decideAccess, isLoopbackHost } from '../../../src/dashboard/auth.js';
import { loadOrCreateToken } from '../../../src/dashboard/token.js';

const token = 'tok-0123456789abcdef';
const metricsToken = 'met-0123456789abcdef';
const policy = { token, metricsToken, metricsPublic: false };
const req = (
  method: string,
  path: string,
  extra: { authorization?: string; queryToken?: string | null } = {},
): AccessRequest => ({ method, path, authorization: extra.authorization, queryToken: extra.queryToken ?? null });
const allowed = (method: string, path: string, extra = {}, p = policy): boolean =>
  decideAccess(req(method, path, extra), p).ok;

describe('dashboard access', () => {
  it('every read needs the token, logs and process lists included: any local account reaches 127.0.0.1', () => {
    for (const path of ['/events', '/api/processes', '/api/usage', '/metrics', '/nowhere']) {
      expect(decideAccess(req('GET', path), policy)).toMatchObject({ ok: false, status: 401 });
      expect(decideAccess(req('GET', path, { queryToken: token }), policy)).toEqual({ ok: true, authorised: true });
      expect(decideAccess(req('GET', path, { authorization: `bearer ${token}` }), policy)).toEqual({
        ok: true,
        authorised: true,
      });
    }
  });

  it('the page shell holds no data and is served to anyone; it asks for the token itself', () => {
    expect(decideAccess(req('GET', '/'), policy)).toEqual({ ok: true, authorised: false });
    expect(decideAccess(req('HEAD', '/index.html'), policy)).toEqual({ ok: true, authorised: false });
    expect(allowed('POST', '/')).toBe(false);
  });

  it('actions need the token', () => {
    expect(decideAccess(req('POST', '/api/processes/0/stop'), policy)).toMatchObject({ ok: false, status: 401 });
    expect(allowed('POST', '/api/processes/0/stop', { authorization: `Bearer ${token}` })).toBe(true);
    expect(allowed('POST', '/api/processes/0/stop', { queryToken: token })).toBe(true);
  });

  it('the metrics token reads /metrics and nothing else', () => {
    expect(allowed('GET', '/metrics', { authorization: `Bearer ${metricsToken}` })).toBe(true);
    expect(allowed('GET', '/metrics', { queryToken: metricsToken })).toBe(true);
    for (const path of ['/events', '/api/processes', '/api/usage'])
      expect(allowed('GET', path, { authorization: `Bearer ${metricsToken}` })).toBe(false);
    expect(allowed('POST', '/api/processes/0/stop', { authorization: `Bearer ${metricsToken}` })).toBe(false);
  });

  it('--metrics-public opens /metrics only', () => {
    const open = { ...policy, metricsPublic: true };
    expect(allowed('GET', '/metrics', {}, open)).toBe(true);
    expect(allowed('GET', '/events', {}, open)).toBe(false);
    expect(allowed('GET', '/api/processes', {}, open)).toBe(false);
    expect(allowed('POST', '/metrics', {}, open)).toBe(false);
  });

  it('a wrong or partial token is refused', () => {
    expect(allowed('GET', '/events', { authorization: 'Bearer nope' })).toBe(false);
    expect(allowed('GET', '/events', { authorization: `Bearer ${token.slice(0, -1)}` })).toBe(false);
    expect(allowed('GET', '/events', { authorization: token })).toBe(false);
    expect(allowed('GET', '/events', { queryToken: `${token}x` })).toBe(false);
  });

  it('knows which addresses are loopback', () => {
    expect(['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '127.example.com'].some(isLoopbackHost)).toBe(
      false,
    );
  });
});

describe('dashboard token', () => {
  it('is made once, kept in a 0600 file, and read back the same', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tend-token-')), 'dashboard.token');
    const first = loadOrCreateToken(file);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(loadOrCreateToken(file)).toEqual({ token: first.token, created: false });
  });
});
