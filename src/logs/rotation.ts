import { basename, dirname, extname, join } from 'node:path';

/** `api-out.log` → `api-out` and `.log`; a file without an extension keeps its whole name. */
function splitName(file: string): { dir: string; stem: string; ext: string } {
  const name = basename(file);
  const ext = extname(name);
  return { dir: dirname(file), stem: name.slice(0, name.length - ext.length), ext };
}

/**
 * The name a rotated file gets: `api-out.log` → `api-out__2026-11-22_05-50-00.log`, with `_1`, `_2`, …
 * when several rotations fall in the same second (a burst), so no rotated file is ever overwritten.
 */
export function rotatedName(file: string, stamp: string, taken: (candidate: string) => boolean): string {
  const { dir, stem, ext } = splitName(file);
  for (let n = 0; ; n += 1) {
    const candidate = join(dir, `${stem}__${stamp}${n === 0 ? '' : `_${n}`}${ext}`);
    if (!taken(candidate) && !taken(`${candidate}.gz`)) return candidate;
  }
}

/** Whether a name in the log folder is a rotated copy of `file` (compressed or not). */
export function isRotatedOf(file: string, name: string): boolean {
  const { stem, ext } = splitName(file);
  if (!name.startsWith(`${stem}__`)) return false;
  const plain = name.endsWith('.gz') ? name.slice(0, -3) : name;
  return plain.endsWith(ext) && plain.length > stem.length + 2 + ext.length;
}

/** One rotated file as found on disk. */
export interface RotatedEntry {
  name: string;
  mtimeMs: number;
}

/**
 * The rotated files to delete so that `retain` remain: the oldest first by time, then by name. A file
 * and its `.gz` (a compression under way) count as one and go together.
 */
export function expiredRotations(entries: RotatedEntry[], retain: number): string[] {
  const groups = new Map<string, { names: string[]; mtimeMs: number }>();
  for (const entry of entries) {
    const key = entry.name.endsWith('.gz') ? entry.name.slice(0, -3) : entry.name;
    const group = groups.get(key) ?? { names: [], mtimeMs: entry.mtimeMs };
    group.names.push(entry.name);
    group.mtimeMs = Math.min(group.mtimeMs, entry.mtimeMs);
    groups.set(key, group);
  }
  const newestFirst = [...groups.entries()].sort(
    (a, b) => b[1].mtimeMs - a[1].mtimeMs || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0),
  );
  return newestFirst.slice(Math.max(0, retain)).flatMap(([, group]) => group.names);
}
