import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../src/cli/output.js';

describe('text from apps and files on the terminal', () => {
  it.each([
    ['a window title (OSC 0)', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['the clipboard (OSC 52)', '\u001b]52;c;ZXZpbA==\u0007', '\\x1b]52;c;ZXZpbA==\\x07'],
    ['a cursor move (CSI H)', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H'],
    ['a bare CR that overwrites the line', 'ok\rFAKE', 'ok\\rFAKE'],
    ['a newline that fakes a line', 'a\nb', 'a\\nb'],
    ['a C1 CSI', 'x\u009b31my', 'x\\x9b31my'],
    ['DEL and BEL', '\u007f\u0007', '\\x7f\\x07'],
    ['plain text, tabs and Unicode', 'héllo\twörld 🎉', 'héllo\twörld 🎉'],
  ])('shows %s visibly', (_what, input, shown) => {
    expect(terminalSafe(input, false)).toBe(shown);
    expect(terminalSafe(input, true)).toBe(shown);
  });

  it('keeps colours (SGR) when asked, shows them otherwise', () => {
    expect(terminalSafe('\u001b[31mred\u001b[0m', true)).toBe('\u001b[31mred\u001b[0m');
    expect(terminalSafe('\u001b[31mred\u001b[0m', false)).toBe('\\x1b[31mred\\x1b[0m');
  });
});
