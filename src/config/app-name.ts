import { basename, extname } from 'node:path';

/** PM2's default name: the script's file name without its extension (`api` for `./src/api.js`). */
export function defaultName(script: string): string {
  const first = script.trim().split(/\s+/)[0] ?? '';
  const base = basename(first);
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/** Why a name cannot be used, or undefined if it can. Names become log file names, so they must not leave the folder. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'an app name cannot be empty';
  if (/[/\\\0]/.test(name) || name.includes('..') || name.startsWith('.')) {
    return `app name \`${name}\` cannot contain "/", "\\", "..", NUL or start with "." (it names the log files)`;
  }
  return undefined;
}
