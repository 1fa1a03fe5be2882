/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2 } as const;
export type Style = keyof typeof codes;

export function paint(text: string, style: Style, color: boolean): string {
  return color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}

const ANSI = /\u001b\[[0-9;]*m/g;

// Control characters (C0 but tab, DEL, C1), and the colour sequences (SGR) among them that may stay.
const CONTROL = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (an app's output, names, env values) as a terminal may show it: every control character is
 * written visibly (`\x1b`, `\r`, `\n`), as `cat -v` would, so output cannot set the window title, fill the clipboard
 * (OSC 52), move the cursor or overwrite a line with a bare CR. Colours (SGR sequences) pass when `keepColors`, since
 * apps colour their logs and those cannot do harm. `tend logs --raw` prints the bytes as they are.
 */
export function terminalSafe(text: string, keepColors: boolean): string {
  return text.replace(CONTROL, (match) => {
    if (match.length > 1) return keepColors ? match : visible(match);
    return visible(match);
  });
}

function visible(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out;
}
function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** A plain table: a header row, columns padded to the widest cell, two spaces between. */
export function renderTable(headers: string[], rows: string[][], color: boolean): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [paint(line(headers), 'bold', color), ...rows.map(line)].join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes <= 0) return '0b';
  const units = ['b', 'kb', 'mb', 'gb'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)}${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

export function statusStyle(status: string): Style {
  switch (status) {
    case 'online':
    case 'ready':
      return 'green';
    case 'errored':
    case 'failed':
    case 'unhealthy':
      return 'red';
    case 'stopped':
      return 'gray';
    default:
      return 'yellow';
  }
}
