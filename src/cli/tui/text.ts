// Text measured in terminal cells: SGR colour codes take none, wide characters take two.

const SGR = /^\u001b\[[0-9;]*m/;
const RESET = '\u001b[0m';

/** Cells one code point takes: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
export function cellWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1;
  if (
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    codePoint === 0xfe0f
  )
    return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The cells a string takes on screen, colour codes excluded; the layout pads and cuts by this. */
export function visibleWidth(text: string): number {
  let width = 0;
  let i = 0;
  while (i < text.length) {
    const sgr = SGR.exec(text.slice(i, i + 32));
    if (sgr) {
      i += sgr[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    width += cellWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return width;
}

/**
 * Exactly `width` cells: cut with an ellipsis when too long, padded with spaces when short.
 * Colour codes are kept, and a cut line ends with a reset so a colour never bleeds into the next cell.
 */
export function fitWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const total = visibleWidth(text);
  if (total <= width) {
    const pad = ' '.repeat(width - total);
    return align === 'left' ? text + pad : pad + text;
  }
  let out = '';
  let used = 0;
  let styled = false;
  let i = 0;
  // One cell is kept for the ellipsis.
  while (i < text.length) {
    const sgr = SGR.exec(text.slice(i, i + 32));
    if (sgr) {
      out += sgr[0];
      styled = true;
      i += sgr[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const w = cellWidth(cp);
    if (used + w > width - 1) break;
    out += String.fromCodePoint(cp);
    used += w;
    i += cp > 0xffff ? 2 : 1;
  }
  out += `…${' '.repeat(width - 1 - used)}`;
  return styled ? out + RESET : out;
}

/**
 * A log line made safe to draw: the app's own escape sequences and control characters would move
 * the cursor or change colours inside the dashboard, so they are removed; tabs become spaces.
 */
export function sanitize(line: string): string {
  return line
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b[\]P^_][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}
