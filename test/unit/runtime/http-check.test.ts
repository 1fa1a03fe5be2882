import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { HttpCheck, readAnswer } from '../../../src/runtime/health-checks/http-check.js';

describe('readAnswer: the status, and whether the connection can carry the next check', () => {
  test.each([
    ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', { status: 200, reusable: true }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok', 'incomplete'],
    ['HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', { status: 503, reusable: false }],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok', { status: 200, reusable: false }],
    ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', { status: 200, reusable: false }],
    ['HTTP/1.1 204 No Content\r\n\r\n', { status: 204, reusable: true }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nok', { status: 200, reusable: false }],
    ['HTTP/1.1 200 OK\r\nContent', 'incomplete'],
    ['SSH-2.0-OpenSSH\r\n\r\n', 'garbled'],
  ])('%j → %j', (text, expected) => {
    expect(readAnswer(Buffer.from(text, 'latin1'))).toEqual(expected);
  });

  test('an unframed body is complete when the connection ends', () => {
    expect(readAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nok'), true)).toEqual({
      status: 200,
      reusable: false,
    });
  });
});

describe('HttpCheck against a real server on 127.0.0.1', () => {
  let server: Server | null = null;
  let check: HttpCheck | null = null;
  afterEach(async () => {
    check?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
  });

  async function serve(
    handler: Parameters<typeof createServer>[1],
  ): Promise<{ port: number; connections: () => number }> {
    let connections = 0;
    server = createServer(handler);
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, connections: () => connections };
  }

  test('three checks reuse one connection', async () => {
    const { port, connections } = await serve((_req, res) => res.end('ok'));
    check = new HttpCheck({ port, path: '/health', statuses: [] }, 1000);
    for (let i = 0; i < 3; i++) expect(await check.check()).toEqual({ ok: true, message: 'GET /health answered 200' });
    expect(connections()).toBe(1);
  });

  test('a kept connection the server closed while idle is not a failure', async () => {
    const { port, connections } = await serve((_req, res) => res.end('ok'));
    check = new HttpCheck({ port, path: '/', statuses: [] }, 1000);
    expect((await check.check()).ok).toBe(true);
    // As a keep-alive timeout does; the next check may find the connection closing or already closed.
    server!.closeIdleConnections();
    expect((await check.check()).ok).toBe(true);
    expect(connections()).toBe(2);
  });

  test('statuses: a 500, a status outside the list, a chunked answer', async () => {
    const { port } = await serve((req, res) => {
      if (req.url === '/chunked') {
        res.write('a');
        res.end('b');
        return;
      }
      res.statusCode = req.url === '/fail' ? 500 : 302;
      res.end();
    });
    check = new HttpCheck({ port, path: '/fail', statuses: [] }, 1000);
    expect(await check.check()).toEqual({ ok: false, message: 'GET /fail answered 500' });
    check.close();
    check = new HttpCheck({ port, path: '/moved', statuses: [200] }, 1000);
    expect(await check.check()).toEqual({ ok: false, message: 'GET /moved answered 302' });
    check.close();
    check = new HttpCheck({ port, path: '/chunked', statuses: [] }, 1000);
    expect(await check.check()).toEqual({ ok: true, message: 'GET /chunked answered 200' });
    expect(await check.check()).toEqual({ ok: true, message: 'GET /chunked answered 200' });
  });

  test('an answer that never comes fails at the timeout', async () => {
    const { port } = await serve(() => {});
    check = new HttpCheck({ port, path: '/health', statuses: [] }, 200);
    expect(await check.check()).toEqual({ ok: false, message: 'GET /health timed out after 200ms' });
  });

  test('nothing listening is said as such', async () => {
    const { port } = await serve(() => {});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    check = new HttpCheck({ port, path: '/', statuses: [] }, 1000);
    expect(await check.check()).toEqual({ ok: false, message: 'GET /: connection refused (ECONNREFUSED)' });
  });
});
