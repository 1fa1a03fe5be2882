import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths, type TendPaths } from '../core/home.js';
import { DaemonClient } from './client.js';
import { startDaemon } from './daemon-start.js';

let entryDir = dirname(fileURLToPath(import.meta.url));

/** The bundled daemon sits beside the CLI entry in dist/; main.ts tells us where that is. */
export function setEntryUrl(url: string): void {
  entryDir = dirname(fileURLToPath(url));
}

/** CommonJS, one file (see scripts/build.mjs): no ES module loader in the long-lived process. */
function daemonEntry(): string {
  return join(entryDir, 'daemon.cjs');
}

export function paths(): TendPaths {
  return resolvePaths();
}

/** Runs `fn` with a connected client and always closes it. */
export async function withDaemon<T>(fn: (client: DaemonClient) => Promise<T>, options: { start?: boolean } = {}): Promise<T> {
  const home = paths();
  const start = options.start === false ? undefined : () => startDaemon(home, daemonEntry());
  const client = await DaemonClient.connect(home, start);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
