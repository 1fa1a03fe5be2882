import { describe, expect, it } from 'vitest';
import { fitWidth, sanitize, visibleWidth } from '../../../src/cli/tui/text.js';

describe('fitting text to a column', () => {
  it('pads short text to the exact width, left or right', () => {
    expect(fitWidth('api', 6)).toBe('api   ');
    expect(fitWidth('42mb', 6, 'right')).toBe('  42mb');
  });

  it('cuts long text with an ellipsis and keeps the width', () => {
    expect(fitWidth('a-very-long-name', 8)).toBe('a-very-…');
    expect(visibleWidth(fitWidth('a-very-long-name', 8))).toBe(8);
  });

  it('does not count colour codes, and a cut coloured text ends with a reset', () => {
    const red = '\u001b[31mstderr line that is long\u001b[0m';
    expect(visibleWidth(red)).toBe(24);
    const cut = fitWidth(red, 10);
    expect(visibleWidth(cut)).toBe(10);
    expect(cut.endsWith('\u001b[0m')).toBe(true);
    expect(fitWidth('\u001b[32mok\u001b[0m', 4)).toBe('\u001b[32mok\u001b[0m  ');
  });

  it('counts wide characters as two cells and never splits one', () => {
    expect(visibleWidth('日本')).toBe(4);
    expect(visibleWidth(fitWidth('日本語テキスト', 6))).toBe(6);
    expect(fitWidth('日本語テキスト', 6)).toBe('日本… ');
  });

  it('gives nothing for a zero width', () => {
    expect(fitWidth('abc', 0)).toBe('');
  });
});

describe('log lines drawn inside the dashboard', () => {
  it("lose the app's own escape sequences, so they cannot move the cursor or recolour the screen", () => {
    expect(sanitize('\u001b[2J\u001b[31mred\u001b[0m text\u001b[H')).toBe('red text');
    expect(sanitize('title\u001b]0;window title\u0007 after')).toBe('title after');
  });

  it('turn tabs into spaces and drop other control characters', () => {
    expect(sanitize('a\tb\rc\u0007')).toBe('a    bc');
  });
});
