import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes started by this process: numbers each temporary file, so that two writes of one file never share one. */
let writes = 0;

/** A temporary file beside `file`, for a write that ends with a rename: unique to this process and this write. */
export function temporaryNameFor(file: string): string {
  return `${file}.${process.pid}.${writes++}.tmp`;
}

/**
 * Writes so that a crash at any instant leaves the old file or the new one, never half of one: a temporary
 * file (0600 from its first byte), then a rename. `durable` (the default) adds an fsync of the file before the
 * rename and of the folder after it, so that a power cut cannot bring back the old file either; without it a
 * crash of the process is covered, a crash of the machine is not. Every step runs on libuv's threads: in the
 * daemon, an fsync or a rename under load took tens of ms of the thread that starts processes.
 */
export async function writeFileAtomically(
  file: string,
  text: string,
  options: { durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const tmp = temporaryNameFor(file);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    if (durable) await handle.sync();
    await handle.close();
    await rename(tmp, file);
  } catch (error) {
    // A full disk: the old file stays as it was, and the half-written copy does not take what room is left.
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  if (!durable) return;
  // Without this a power cut could bring back the old file.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
