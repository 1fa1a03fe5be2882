import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonClient } from '../../src/cli/client.js';
import { resolvePaths } from '../../src/core/home.js';
import type { Daemon } from '../../src/daemon/daemon.js';
import { serveControlSocket } from '../../src/daemon/server.js';

let server: Server | null = null;
let home = '';
afterEach(() => {
  server?.close();
  server = null;
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The real control socket and the real CLI client, with a daemon whose handlers a test chooses. */
async function serve(handlers: Record<string, () => Promise<unknown>>): Promise<DaemonClient> {
  home = mkdtempSync(join(tmpdir(), 'tend-socket-'));
  const paths = resolvePaths({ TEND_HOME: home });
  const daemon = { handlers: () => handlers } as unknown as Daemon;
  server = await serveControlSocket(daemon, paths.socket, () => undefined);
  return DaemonClient.connect(paths);
}

describe('the control socket between the CLI and the daemon', () => {
  it('an answer bigger than the slow-client limit (32 MiB) reaches a client that reads it, whole', async () => {
    // The reply of a 100,000-app apply was cut at 32 MiB and the CLI reported a failure for work that was done.
    const processes = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `app-${id}`, note: 'x'.repeat(100) }));
    const client = await serve({ list: async () => processes });
    const got = (await client.call('list', undefined)) as unknown as typeof processes;
    expect(got).toHaveLength(processes.length);
    expect(got.at(-1)).toEqual(processes.at(-1));
    client.close();
  });

  it("a request the daemon refuses (over 16 MiB) is reported with the daemon's own reason", async () => {
    const client = await serve({ ping: async () => ({ pong: true }) });
    const huge = 'x'.repeat(17 * 1024 * 1024);
    await expect(client.call('ping', { huge } as never)).rejects.toMatchObject({
      code: 'PROTOCOL',
      message: 'the daemon refused `ping`: request line longer than 16777216 bytes',
    });
  });
});
