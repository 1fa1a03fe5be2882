import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flushFile, followFile, readLastLines } from '../../src/runtime/log-files.js';
import { Sandbox, readText, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

describe('readLastLines', () => {
  it.each([
    { content: 'a\nb\nc\nd\n', n: 2, want: ['c', 'd'] },
    { content: 'a\nb\nc\nd', n: 2, want: ['c', 'd'] },
    { content: 'a\nb\n', n: 15, want: ['a', 'b'] },
    { content: '', n: 3, want: [] },
    { content: 'a\n\nb\n', n: 2, want: ['', 'b'] },
    { content: 'x\n', n: 0, want: [] },
  ])('last $n of $content', async ({ content, n, want }) => {
    box = new Sandbox();
    const file = path.join(box.dir, 'f.log');
    writeFileSync(file, content);
    expect(await readLastLines(file, n)).toEqual(want);
  });

  it('reads across chunk boundaries without breaking multi-byte characters', async () => {
    box = new Sandbox();
    const file = path.join(box.dir, 'big.log');
    const lines = Array.from({ length: 50_000 }, (_, i) => `${i} héllo wörld ✓ ${'x'.repeat(i % 37)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await readLastLines(file, 3000)).toEqual(lines.slice(-3000));
  });

  it('returns nothing for a file that does not exist', async () => {
    box = new Sandbox();
    expect(await readLastLines(path.join(box.dir, 'none.log'), 5)).toEqual([]);
  });
});

describe('flushFile', () => {
  it('empties the file and accepts a missing one', async () => {
    box = new Sandbox();
    const file = path.join(box.dir, 'f.log');
    writeFileSync(file, 'old\n');
    await flushFile(file);
    expect(readText(file)).toBe('');
    await expect(flushFile(path.join(box.dir, 'none.log'))).resolves.toBeUndefined();
  });
});

describe('followFile', () => {
  function collect(file: string, from?: number) {
    const seen: string[] = [];
    const follower = followFile(file, (lines) => seen.push(...lines), { pollMs: 10, from });
    return { seen, follower };
  }

  it('reports only lines appended after it started, holding a partial line until its newline', async () => {
    box = new Sandbox();
    const file = path.join(box.dir, 'f.log');
    writeFileSync(file, 'before\n');
    const { seen, follower } = collect(file);
    try {
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, 'one\ntw');
      await waitFor(() => seen.length === 1, 2000, 'first line');
      appendFileSync(file, 'o\nthree\n');
      await waitFor(() => seen.length === 3, 2000, 'more lines');
      expect(seen).toEqual(['one', 'two', 'three']);
    } finally {
      follower.close();
    }
  });

  it('starts over after the file is flushed or replaced', async () => {
    box = new Sandbox();
    const file = path.join(box.dir, 'f.log');
    writeFileSync(file, 'a long line before the flush\n');
    const { seen, follower } = collect(file);
    try {
      await new Promise((r) => setTimeout(r, 50));
      await flushFile(file);
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, 'after flush\n');
      await waitFor(() => seen.includes('after flush'), 2000, 'line after flush');
      writeFileSync(`${file}.new`, 'rotated in\n');
      renameSync(`${file}.new`, file);
      await waitFor(() => seen.includes('rotated in'), 2000, 'line of the new file');
      expect(seen).toEqual(['after flush', 'rotated in']);
    } finally {
      follower.close();
    }
  });

  it('waits for a file that does not exist yet and reads it from the start', async () => {
    box = new Sandbox();
    const file = path.join(box.dir, 'later.log');
    const { seen, follower } = collect(file);
    try {
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(file, 'first\nsecond\n');
      await waitFor(() => seen.length === 2, 2000, 'lines of the new file');
      expect(seen).toEqual(['first', 'second']);
      rmSync(file);
    } finally {
      follower.close();
    }
  });
});
