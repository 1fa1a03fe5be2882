import { basename, extname } from 'node:path';

/** PM2's default name: the script's file name without its extension (`api` for `./src/api.js`). */
export function defaultName(script: string): string {
  const first = script.trim().split(/\s+/)[0] ?? '';
  const base = basename(first);
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/**
 * Why a name cannot be used, or undefined if it can. Names become log file names, so they must not leave the folder;
 * they are printed in tables and logs, so they hold no control character (a newline would fake a line, an escape
 * sequence would drive the terminal); and a target must mean one thing, so `all` is not a name. Numbers are names,
 * as PM2 allows them: a target is matched by name before id.
 */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'an app name cannot be empty';
  if (/[/\\\0]/.test(name) || name.includes('..') || name.startsWith('.')) {
    return `app name \`${name}\` cannot contain "/", "\\", "..", NUL or start with "." (it names the log files)`;
  }
  if (/[\u0001-\u001f\u007f-\u009f]/.test(name)) {
    return `app name ${JSON.stringify(name)} cannot contain a control character (a newline, a tab, an escape sequence): it is printed in tables and logs`;
  }
  if (name.includes('\ufffd')) return `app name ${JSON.stringify(name)} holds bytes that are not valid UTF-8`;
  if (name === 'all') return 'an app cannot be named `all`: `tend stop all` means every app';
  return undefined;
}
