import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeLine, NdjsonDecoder } from '../../src/core/ndjson.js';
import { PrimaryLink } from '../../src/runtime/cluster/primary-link.js';
import { primarySocketPath, type PrimaryEvent } from '../../src/runtime/cluster/protocol.js';
import { makeSpec } from '../fixtures/specs.js';

let server: Server | null = null;
let link: PrimaryLink | null = null;
let home = '';
afterEach(() => {
  link?.close();
  link = null;
  server?.close();
  server = null;
  if (home) rmSync(home, { recursive: true, force: true });
});

/**
 * A stand-in for an app's cluster primary on the real socket path: it answers a fork with `answer(req)`, all its
 * lines in one write, as a busy daemon reads them when the worker listened before the daemon read the fork's answer.
 */
async function fakePrimary(answer: (req: number) => PrimaryEvent[]): Promise<PrimaryLink> {
  home = mkdtempSync(join(tmpdir(), 'tend-primary-'));
  const path = primarySocketPath(home, 'web');
  mkdirSync(dirname(path), { recursive: true });
  server = createServer((socket: Socket) => {
    const decoder = new NdjsonDecoder({ maxLineBytes: 1 << 20 });
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) {
        if (line.kind !== 'message') continue;
        const op = line.message as { op: string; req: number };
        if (op.op === 'fork') socket.write(answer(op.req).map(encodeLine).join(''));
      }
    });
  });
  await new Promise<void>((resolve) => server?.listen(path, resolve));
  link = new PrimaryLink({ home, app: 'web', primaryEntry: '/nonexistent', workerEntry: '/nonexistent', logFile: '' });
  return link;
}

const spec = (waitReady: boolean) =>
  makeSpec('web', { run: { execMode: 'cluster' }, logs: { out: null, err: null }, policy: { waitReady } });

describe("the daemon's link to a cluster primary", () => {
  it('a worker that listened in the same read as its fork is ready, and its messages arrive in order', async () => {
    const pid = process.pid;
    const primary = await fakePrimary((req) => [
      { event: 'spawned', req, pid },
      { event: 'listening', pid, address: '127.0.0.1:3000' },
      { event: 'message', pid, message: { hello: 1 } },
    ]);
    const worker = await primary.spawn({ spec: spec(false), instance: 0, id: 0, extraEnv: {} });
    const heard: unknown[] = [];
    worker.channel?.onMessage((m) => heard.push(m));
    expect(heard).toEqual(['ready', { hello: 1 }]);
  });

  it('with wait_ready, listening alone is not ready', async () => {
    const pid = process.pid;
    const primary = await fakePrimary((req) => [
      { event: 'spawned', req, pid },
      { event: 'listening', pid, address: '127.0.0.1:3000' },
    ]);
    const worker = await primary.spawn({ spec: spec(true), instance: 0, id: 0, extraEnv: {} });
    const heard: unknown[] = [];
    worker.channel?.onMessage((m) => heard.push(m));
    expect(heard).toEqual([]);
  });

  it('a worker that exited in the same read as its fork is seen to exit', async () => {
    const pid = process.pid;
    const primary = await fakePrimary((req) => [
      { event: 'spawned', req, pid },
      { event: 'exit', pid, code: 3, signal: null },
    ]);
    const worker = await primary.spawn({ spec: spec(false), instance: 0, id: 0, extraEnv: {} });
    await expect(worker.exited).resolves.toEqual({ code: 3, signal: null });
  });
});
