import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { expiredRotations, isRotatedOf } from './rotation.js';

/** Gzips a rotated file beside itself and removes the original; the `.gz` keeps its time, so retention still orders it. */
export async function gzipRotated(file: string): Promise<string> {
  const target = `${file}.gz`;
  const { atime, mtime } = await stat(file);
  try {
    await pipeline(createReadStream(file), createGzip(), createWriteStream(target, { mode: 0o640 }));
  } catch (error) {
    // Half a .gz is worse than none: the plain file stays, whole.
    await unlink(target).catch(() => undefined);
    throw error;
  }
  await utimes(target, atime, mtime);
  await unlink(file);
  return target;
}

/** Deletes the rotated copies of `file` beyond the newest `retain`; returns what it deleted. */
export async function pruneRotated(file: string, retain: number): Promise<string[]> {
  const dir = dirname(file);
  const names = (await readdir(dir)).filter((name) => isRotatedOf(file, name));
  const entries = [];
  for (const name of names) {
    try {
      entries.push({ name, mtimeMs: (await stat(join(dir, name))).mtimeMs });
    } catch {
      // Pruned meanwhile by another instance's writer.
    }
  }
  const doomed = expiredRotations(entries, retain);
  for (const name of doomed) await unlink(join(dir, name)).catch(() => undefined);
  return doomed.map((name) => join(dir, name));
}

/** The name used in messages for a file the writer owns. */
export function shortName(file: string): string {
  return basename(file);
}
