import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { defaults } from '../../../src/core/defaults.js';
import { startWriter, type WriterInput } from '../../../src/logs/writer.js';
import type { WriterConfig } from '../../../src/logs/writer-config.js';

// A disk that refuses writes must cost the app nothing: the writer keeps reading, holds a bounded amount,
// drops and counts the rest, and writes everything it held (and a note of what it dropped) once it can.

class FakeInput extends EventEmitter implements WriterInput {
  send(text: string): void {
    this.emit('data', Buffer.from(text));
  }
}

const dirs: string[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A regular file where the log folder should be: ENOTDIR until the test makes it a folder. */
function blocked(dir: string): string {
  writeFileSync(join(dir, 'logs'), 'not a folder');
  return join(dir, 'logs', 'api-out.log');
}

function setup(file: (dir: string) => string, format: WriterConfig['format'] = null) {
  const dir = mkdtempSync(join(tmpdir(), 'tend-writer-trouble-'));
  dirs.push(dir);
  const path = file(dir);
  const config: WriterConfig = {
    home: dir,
    app: 'api',
    instance: 0,
    streams: [{ fd: 3, stream: 'out', file: path }],
    format,
    rotate: null,
  };
  const out = new FakeInput();
  const reports: string[] = [];
  let now = 0;
  const writer = startWriter(config, new Map([[3, out]]), { now: () => now, report: (m) => reports.push(m) });
  const later = async (ms: number): Promise<void> => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { dir, path, out, writer, reports, later };
}

describe('the log writer when its file cannot be written', () => {
  test('a file that cannot be created yet: lines are held, then written in order once it can, with no note', async () => {
    const { dir, path, out, writer, reports, later } = setup(blocked);
    out.send('one\n');
    out.send('two\n');
    expect(reports.join('\n')).toMatch(/cannot write .*api-out\.log.*ENOTDIR/);
    await later(defaults.logWriteRetryMs);
    rmSync(join(dir, 'logs'));
    mkdirSync(join(dir, 'logs'));
    out.send('three\n');
    await later(defaults.logWriteRetryMs);
    out.send('four\n');
    out.emit('end');
    await writer.done;
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
    expect(reports.at(-1)).toMatch(/writing .*api-out\.log again$/);
  });

  test('past the held limit, lines are dropped and counted, and the file says how many once it can be written', async () => {
    const { dir, path, out, writer, later } = setup(blocked, { dateFormat: 'YYYY', json: false });
    const line = `${'x'.repeat(999)}\n`;
    const total = 6000;
    for (let i = 0; i < total; i += 1) out.send(line);
    rmSync(join(dir, 'logs'));
    mkdirSync(join(dir, 'logs'));
    await later(defaults.logWriteRetryMs);
    out.send('after\n');
    out.emit('end');
    await writer.done;
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const held = Math.floor(defaults.logStalledMaxBytes / (line.length + '1970: '.length));
    expect(lines).toHaveLength(held + 2);
    expect(lines.at(-2)).toBe(
      `1970: [tend] ${total - held} line(s) dropped while ${path} could not be written (ENOTDIR)`,
    );
    expect(lines.at(-1)).toBe('1970: after');
  });

  test('a disk that stays full after the app ended: the writer gives up in time instead of living on', async () => {
    const { out, writer, reports, later } = setup((d) => {
      const file = join(d, 'api-out.log');
      symlinkSync('/dev/full', file);
      return file;
    });
    out.send('lost\n');
    out.emit('end');
    let finished = false;
    void writer.done.then(() => (finished = true));
    await later(defaults.logWriterGiveUpMs - defaults.logWriteRetryMs);
    expect(finished).toBe(false);
    await later(2 * defaults.logWriteRetryMs);
    expect(finished).toBe(true);
    expect(reports.at(-1)).toMatch(/giving up on .*api-out\.log \(ENOSPC\): 1 line\(s\) dropped/);
  });

  test('a file left mid-line by a process that died (a crash on a full disk): the first line starts on a line of its own', async () => {
    const { path, out, writer } = setup((d) => {
      const file = join(d, 'api-out.log');
      writeFileSync(file, 'complete\nhalf a li');
      return file;
    });
    out.send('mine\n');
    out.emit('end');
    await writer.done;
    expect(readFileSync(path, 'utf8')).toBe('complete\nhalf a li\nmine\n');
  });
});
