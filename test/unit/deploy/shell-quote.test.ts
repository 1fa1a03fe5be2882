import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellPath, shellQuote } from '../../../src/deploy/shell-quote.js';

/** What a real POSIX shell makes of a word: the value it prints back. */
function throughShell(word: string, env: Record<string, string> = {}): string {
  const result = spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe('shellQuote', () => {
  it.each([
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", `'it'\\''s'`],
    ["'", `''\\'''`],
    ['$HOME `id` $(id) ; | & > <', "'$HOME `id` $(id) ; | & > <'"],
    ['a\nb', "'a\nb'"],
  ])('%j is the word %s', (value, word) => {
    expect(shellQuote(value)).toBe(word);
  });

  it.each([
    'plain',
    '',
    "it's",
    "''''",
    '$HOME',
    '`touch /tmp/tend-never`',
    '$(touch /tmp/tend-never)',
    "'; touch /tmp/tend-never; echo '",
    'tab\there',
    'line\nbreak',
    'back\\slash',
    '"double"',
    '-n',
    '*',
    'ünïcödé ✓',
  ])('a shell reads %j back unchanged', (value) => {
    expect(throughShell(shellQuote(value))).toBe(value);
  });

  it('refuses NUL, which a shell word cannot hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('shellPath', () => {
  it.each([
    ['/srv/app', "'/srv/app'", '/srv/app'],
    ['~/app', `"$HOME"/'app'`, '/home/deployer/app'],
    ['~', '"$HOME"', '/home/deployer'],
    ["~/it's here", `"$HOME"/'it'\\''s here'`, "/home/deployer/it's here"],
    ['/srv/~/x', "'/srv/~/x'", '/srv/~/x'],
  ])('%j is %s, which a shell reads as %s', (path, word, read) => {
    expect(shellPath(path)).toBe(word);
    expect(throughShell(word, { HOME: '/home/deployer' })).toBe(read);
  });
});
