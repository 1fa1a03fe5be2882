import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { FileHost } from './host.js';

/** What `script` turned out to be. */
export type ScriptTarget =
  /** A file, by absolute path. */
  | { kind: 'file'; path: string }
  /** A command name found on PATH (kept as a name; `found` is where it was found). */
  | { kind: 'command'; name: string; found: string }
  /** A command line with spaces that names no file, run through `bash -c` as PM2 does. */
  | { kind: 'shell'; command: string }
  | { kind: 'missing'; message: string };

/** `~/x` → `<home>/x`, as PM2 does for paths in the file. */
export function expandHome(path: string, home?: string): string {
  // The home folder is asked for only when a path starts with `~`: not once for each of 1,000 plain paths.
  if (path === '~') return home ?? homedir();
  return path.startsWith('~/') ? join(home ?? homedir(), path.slice(2)) : path;
}

let lastResolved: { base: string; path: string; resolved: string } | undefined;
/**
 * Resolves a path from the file against a base folder, expanding `~`. The apps of a file mostly repeat the last app's
 * pair (the same folder, the same script), and normalising a path is a loop over its characters: the last answer is
 * kept. Only for an absolute base and no `~`, whose answer nothing else (the process's cwd, `$HOME`) can change.
 */
export function resolvePath(base: string, path: string): string {
  if (lastResolved !== undefined && lastResolved.base === base && lastResolved.path === path)
    return lastResolved.resolved;
  const resolved = resolve(base, expandHome(path));
  if (isAbsolute(base) && !path.startsWith('~')) lastResolved = { base, path, resolved };
  return resolved;
}

/**
 * Finds the program `script` names: a path relative to `cwd`; failing that, a bare name is looked up
 * on the PATH the app will run with; a command line with spaces runs through bash.
 */
export function findScript(script: string, cwd: string, envPath: string, host: FileHost): ScriptTarget {
  const path = resolvePath(cwd, script);
  if (host.kind(path) === 'file') return { kind: 'file', path };
  const trimmed = script.trim();
  if (/\s/.test(trimmed)) return { kind: 'shell', command: trimmed };
  if (!trimmed.includes('/') && !isAbsolute(trimmed) && !trimmed.startsWith('~')) {
    const found = findOnPath(trimmed, envPath, host);
    if (found) return { kind: 'command', name: trimmed, found };
    return { kind: 'missing', message: `script \`${script}\` not found at ${path} nor on PATH` };
  }
  const what = host.kind(path) === 'folder' ? 'is a folder, not a file' : 'not found';
  return { kind: 'missing', message: `script \`${script}\` ${what}: ${path}` };
}

/** The first executable called `name` in the folders of a PATH string. */
export function findOnPath(name: string, envPath: string, host: FileHost): string | undefined {
  for (const folder of envPath.split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    if (host.isExecutable(candidate)) return candidate;
  }
  return undefined;
}
