import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes so that a crash at any instant leaves the old file or the new one, never half of one: a temporary
 * file (0600 from its first byte), then a rename. `durable` (the default) adds an fsync of the file before the
 * rename and of the folder after it, so that a power cut cannot bring back the old file either; without it a
 * crash of the process is covered, a crash of the machine is not.
 */
export function writeFileAtomically(file: string, text: string, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const data = Buffer.from(text);
    for (let written = 0; written < data.length; ) written += writeSync(fd, data, written);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (error) {
    // A full disk: the old file stays as it was, and the half-written copy does not take what room is left.
    try {
      closeSync(fd);
    } catch {
      // Closed already.
    }
    rmSync(tmp, { force: true });
    throw error;
  }
  if (!durable) return;
  // Without this a power cut could bring back the old file.
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
