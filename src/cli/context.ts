import { join } from 'node:path';
import { resolvePaths, type TendPaths } from '../core/home.js';
import { DaemonClient } from './client.js';
import { startDaemon } from './daemon-start.js';

/** dist/, where the bundled daemon sits beside the CLI's files: set before any daemon call by whoever runs the verb. */
let entryDir: string | null = null;

export function setEntryDir(dir: string): void {
  entryDir = dir;
}

/** A file of dist/, beside the CLI's: the daemon, or a program tend starts as an app (`serve.cjs`). */
export function distFile(name: string): string {
  if (entryDir === null) throw new Error('the CLI did not say where its files are (setEntryDir)');
  return join(entryDir, name);
}

/** CommonJS, one file (see scripts/build.mjs): no ES module loader in the long-lived process. */
function daemonEntry(): string {
  return distFile('daemon.cjs');
}

export function paths(): TendPaths {
  return resolvePaths();
}

/** Runs `fn` with a connected client and always closes it. */
export async function withDaemon<T>(
  fn: (client: DaemonClient) => Promise<T>,
  options: { start?: boolean } = {},
): Promise<T> {
  const home = paths();
  const start = options.start === false ? undefined : () => startDaemon(home, daemonEntry());
  const client = await DaemonClient.connect(home, start);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
