// The few escape sequences the dashboard needs (ECMA-48 / xterm), so no terminal library is loaded.

const ESC = '\u001b[';

export const enterAltScreen = `${ESC}?1049h`;
export const leaveAltScreen = `${ESC}?1049l`;
export const hideCursor = `${ESC}?25l`;
export const showCursor = `${ESC}?25h`;
export const resetStyle = `${ESC}0m`;
export const clearScreen = `${ESC}2J`;
export const clearToLineEnd = `${ESC}K`;

/** Cursor to a 1-based row and column. */
export function moveTo(row: number, column = 1): string {
  return `${ESC}${row};${column}H`;
}

const sgr = {
  bold: 1,
  dim: 2,
  inverse: 7,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
} as const;
export type Tone = keyof typeof sgr;

/** Paints text in one or more tones, or leaves it plain when colour is off (NO_COLOR, --no-color). */
export function tone(text: string, tones: Tone | Tone[], color: boolean): string {
  if (!color || text === '') return text;
  const list = Array.isArray(tones) ? tones : [tones];
  return `${ESC}${list.map((t) => sgr[t]).join(';')}m${text}${resetStyle}`;
}
