/**
 * One word for a POSIX shell, whatever the value holds: single quotes around it, and each `'` inside written as `'\''`.
 * Every value from the ecosystem file reaches the remote shell through here, so none is ever read as code.
 */
export function shellQuote(value: string): string {
  // A shell word cannot hold NUL; the value would be cut there, silently.
  if (value.includes('\0')) throw new Error('a value for the remote shell holds a NUL character');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A path on the host as a shell word: `~/app` becomes `"$HOME"/'app'` (the ssh user's home, as ssh would expand it),
 * anything else is quoted whole.
 */
export function shellPath(path: string): string {
  if (path === '~') return '"$HOME"';
  if (path.startsWith('~/')) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}
