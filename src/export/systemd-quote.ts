/**
 * Quoting for unit files: each function takes any string and gives back text systemd's unit parser turns into exactly
 * that string again.
 */

const PLAIN = /^[A-Za-z0-9_@+=:,./-]+$/;

/** No unit setting can hold a line break; the config layer lets one through in a value only by mistake. */
function oneLine(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`a unit setting cannot hold a line break: ${JSON.stringify(value)}`);
  return value;
}

/**
 * One word of `ExecStart=`: `%` doubled (specifiers), `$` doubled in an argument (systemd would substitute a
 * variable there; it does not in the program's path), double-quoted with `\` and `"` escaped unless plain.
 */
export function execWord(word: string, position: 'program' | 'argument'): string {
  const specifiers = oneLine(word).replaceAll('%', '%%');
  const escaped = position === 'program' ? specifiers : specifiers.replaceAll('$', '$$$$');
  if (escaped !== '' && PLAIN.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A setting that takes the rest of its line as it is (`WorkingDirectory=`, `Description=`): specifiers escaped. */
export function unitValue(value: string): string {
  return oneLine(value).replaceAll('%', '%%');
}

/** `Environment=NAME=value` as one word, so spaces, quotes and backslashes in the value survive. */
export function environmentWord(name: string, value: string, keepSpecifiers = false): string {
  const assignment = `${name}=${keepSpecifiers ? oneLine(value) : unitValue(value)}`;
  return PLAIN.test(assignment) ? assignment : `"${assignment.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
