/**
 * Quoting for the three init-system formats tend writes. Each takes any string and gives back text that the reader
 * (systemd's unit parser, a POSIX shell, an XML parser) turns into exactly that string again.
 */

const SYSTEMD_PLAIN = /^[A-Za-z0-9_@+=:,./-]+$/;

/**
 * One word of a systemd `Exec*=` line: `%` doubled (specifiers) and, in an argument, `$` doubled (variable
 * substitution, which systemd does not apply to the program's path), and the word double-quoted, with `\` and `"`
 * escaped, when it holds anything but plain path characters.
 */
export function systemdWord(word: string, position: 'program' | 'argument' = 'argument'): string {
  const specifiers = word.replaceAll('%', '%%');
  const escaped = position === 'program' ? specifiers : specifiers.replaceAll('$', '$$$$');
  if (escaped !== '' && SYSTEMD_PLAIN.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The value of a systemd setting that takes the rest of its line (`PIDFile=`, `Description=`): specifiers escaped. */
export function systemdValue(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`a unit setting cannot hold a line break: ${JSON.stringify(value)}`);
  return value.replaceAll('%', '%%');
}

/** `Environment=NAME=value` as one quoted word, so spaces, quotes and backslashes in the value survive. */
export function systemdEnvironment(name: string, value: string): string {
  const assignment = `${name}=${systemdValue(value)}`;
  return SYSTEMD_PLAIN.test(assignment)
    ? assignment
    : `"${assignment.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** One word for a POSIX shell: left alone when it is plainly safe, else single-quoted. */
export function shWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Text for an XML element or attribute. */
export function xmlText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
