import { describe, expect, test } from 'vitest';
import { LineSplitter } from '../../../src/logs/line-splitter.js';

const whole = (splitter: LineSplitter, text: string | Buffer): string =>
  splitter.whole(Buffer.from(text)).toString('utf8');

describe('splitting output into lines', () => {
  test('a line split across chunks comes out once, whole, when its newline arrives', () => {
    const splitter = new LineSplitter(1024);
    expect(whole(splitter, 'one\ntw')).toBe('one\n');
    expect(whole(splitter, 'o and a ha')).toBe('');
    expect(whole(splitter, 'lf\nthree\n')).toBe('two and a half\nthree\n');
    expect(splitter.end()).toBeNull();
  });

  test('the last line without a newline is kept until the stream ends', () => {
    const splitter = new LineSplitter(1024);
    expect(whole(splitter, 'done\nno newline')).toBe('done\n');
    expect(splitter.end()?.toString()).toBe('no newline');
    expect(splitter.end()).toBeNull();
  });

  test('bytes pass untouched, CRLF included; a CR and its LF in different chunks stay together', () => {
    const splitter = new LineSplitter(1024);
    expect(whole(splitter, 'windows\r\nprogress\r50%\n\r\n')).toBe('windows\r\nprogress\r50%\n\r\n');
    expect(whole(splitter, 'split\r')).toBe('');
    expect(whole(splitter, '\n')).toBe('split\r\n');
  });

  test('a partial line at the end of the stream loses a dangling CR', () => {
    const splitter = new LineSplitter(1024);
    whole(splitter, 'last\r');
    expect(splitter.end()?.toString()).toBe('last');
  });

  test('a line longer than the limit is cut there, each piece a line, so memory stays bounded', () => {
    const splitter = new LineSplitter(10);
    expect(whole(splitter, 'abcdefghijklmnopqrstuvwxy')).toBe('abcdefghij\nklmnopqrst\n');
    expect(splitter.held).toBeLessThanOrEqual(10);
    expect(whole(splitter, 'z\n')).toBe('uvwxyz\n');
  });

  test('a huge line arriving in many chunks never holds more than the limit', () => {
    const splitter = new LineSplitter(64 * 1024);
    let cut = 0;
    for (let i = 0; i < 100; i += 1) {
      cut += splitter.whole(Buffer.alloc(16 * 1024, 'x')).filter((byte) => byte === 0x0a).length;
      expect(splitter.held).toBeLessThanOrEqual(64 * 1024);
    }
    // 1600 KiB: 24 lines of 64 KiB out, the last 64 KiB still waiting for a newline.
    expect(cut).toBe(24);
    expect(splitter.held).toBe(64 * 1024);
  });

  test('a cut never splits a multi-byte character', () => {
    const splitter = new LineSplitter(5);
    // "aaaa€" is 4 + 3 bytes: the cut falls inside the euro sign and moves before it.
    expect(whole(splitter, 'aaaa€b')).toBe('aaaa\n');
    expect(whole(splitter, '\n')).toBe('€b\n');
  });

  test('many short lines in one chunk come out in one buffer, in order', () => {
    const splitter = new LineSplitter(1024);
    let text = '';
    for (let i = 0; i < 1000; i += 1) text += `line ${i}\n`;
    expect(whole(splitter, text)).toBe(text);
  });
});
