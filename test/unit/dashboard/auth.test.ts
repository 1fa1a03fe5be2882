import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideAccess, isLoopbackHost } from '../../../src/dashboard/auth.js';
import { loadOrCreateToken } from '../../../src/dashboard/token.js';

const token = 'tok-0123456789abcdef';
const loopback = { token, bindHost: '127.0.0.1' };
const open = { token, bindHost: '0.0.0.0' };
const req = (method: string, extra: { host?: string; authorization?: string; queryToken?: string | null } = {}) => ({
  method,
  host: extra.host ?? '127.0.0.1:9615',
  authorization: extra.authorization,
  queryToken: extra.queryToken ?? null,
});

describe('dashboard access', () => {
  it('on loopback, reads are open and actions need the token', () => {
    expect(decideAccess(req('GET'), loopback)).toEqual({ ok: true, authorised: false });
    expect(decideAccess(req('POST'), loopback)).toMatchObject({ ok: false, status: 401 });
    expect(decideAccess(req('POST', { authorization: `Bearer ${token}` }), loopback)).toEqual({
      ok: true,
      authorised: true,
    });
    expect(decideAccess(req('POST', { queryToken: token }), loopback)).toEqual({ ok: true, authorised: true });
  });

  it('a wrong or partial token is refused', () => {
    expect(decideAccess(req('POST', { authorization: 'Bearer nope' }), loopback)).toMatchObject({ status: 401 });
    expect(decideAccess(req('POST', { authorization: `Bearer ${token.slice(0, -1)}` }), loopback)).toMatchObject({
      status: 401,
    });
    expect(decideAccess(req('POST', { authorization: token }), loopback)).toMatchObject({ status: 401 });
  });

  it('beyond loopback, every request needs the token, reads included', () => {
    expect(decideAccess(req('GET', { host: 'box:9615' }), open)).toMatchObject({ ok: false, status: 401 });
    expect(decideAccess(req('GET', { host: 'box:9615', queryToken: token }), open)).toEqual({
      ok: true,
      authorised: true,
    });
    expect(decideAccess(req('GET', { authorization: `bearer ${token}` }), { token, bindHost: '192.168.1.5' })).toEqual({
      ok: true,
      authorised: true,
    });
  });

  it('a page on another site rebinding its name to 127.0.0.1 cannot read without the token', () => {
    expect(decideAccess(req('GET', { host: 'evil.example:9615' }), loopback)).toMatchObject({ ok: false, status: 403 });
    expect(decideAccess(req('GET', { host: 'localhost:9615' }), loopback)).toMatchObject({ ok: true });
    expect(decideAccess(req('GET', { host: '[::1]:9615' }), { token, bindHost: '::1' })).toMatchObject({ ok: true });
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
