import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

// An app that writes what would drive a terminal: a title (OSC 0), the clipboard (OSC 52), a bare CR, and a colour.
const HOSTILE = [
  "process.stdout.write('title \\u001b]0;pwned\\u0007 clip \\u001b]52;c;ZXZpbA==\\u0007 ok\\rFAKE \\u001b[31mred\\u001b[0m\\n');",
  'setInterval(() => {}, 1000);',
].join('\n');

describe('what reaches the terminal', () => {
  it('tend logs shows escape sequences and a bare CR from an app visibly; --raw gives the bytes', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: loud\n    script: ${tend.write('loud.cjs', HOSTILE)}\n    env:\n      NOTE: "two\\nlines \\u001b]0;x\\u0007"\n`,
    );
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'online');
    let shown = '';
    for (let i = 0; i < 50 && !shown.includes('FAKE'); i++) {
      shown = (await tend.ok(['logs', 'loud', '--nostream', '--out'])).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(shown).toContain('title \\x1b]0;pwned\\x07 clip \\x1b]52;c;ZXZpbA==\\x07 ok\\rFAKE');
    expect(shown).not.toContain('\u001b]');
    expect(shown).not.toContain('\r');
    const raw = (await tend.ok(['logs', 'loud', '--nostream', '--out', '--raw'])).stdout;
    expect(raw).toContain('\u001b]0;pwned\u0007');
    // `tend show`: an env value cannot fake a line of its own or reach the terminal as an escape.
    const show = (await tend.ok(['show', 'loud'])).stdout;
    expect(show).toMatch(/^ {2}NOTE +two\\nlines \\x1b\]0;x\\x07 {2}\(/m);
    expect(show).not.toContain('\u001b]');
  });
});
