import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { startWriter, type WriterInput } from '../../../src/logs/writer.js';
import type { WriterConfig } from '../../../src/logs/writer-config.js';

class FakeInput extends EventEmitter implements WriterInput {
  paused = false;
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  send(text: string): void {
    this.emit('data', Buffer.from(text));
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(given: Partial<WriterConfig> | ((dir: string) => Partial<WriterConfig>) = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tend-writer-'));
  dirs.push(dir);
  const overrides = typeof given === 'function' ? given(dir) : given;
  const config: WriterConfig = {
    home: dir,
    app: 'api',
    instance: 0,
    streams: [
      { fd: 3, stream: 'out', file: join(dir, 'api-out.log') },
      { fd: 4, stream: 'err', file: join(dir, 'api-err.log') },
    ],
    format: null,
    rotate: null,
    ...overrides,
  };
  const out = new FakeInput();
  const err = new FakeInput();
  const reports: string[] = [];
  let now = new Date(2026, 10, 22, 5, 50, 0).getTime();
  const writer = startWriter(
    config,
    new Map([
      [3, out],
      [4, err],
    ]),
    { now: () => (now += 1), report: (m) => reports.push(m) },
  );
  return { dir, config, out, err, writer, reports };
}

/** Every line of every file of a log (rotated ones decompressed), oldest file first by name. */
function allLines(dir: string, stem: string): string[] {
  const names = readdirSync(dir)
    .filter((n) => n.startsWith(stem))
    .sort((a, b) => (a === `${stem}.log` ? 1 : b === `${stem}.log` ? -1 : a < b ? -1 : 1));
  return names.flatMap((name) => {
    const data = readFileSync(join(dir, name));
    return (name.endsWith('.gz') ? gunzipSync(data) : data)
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
  });
}

describe('the log writer', () => {
  test('raw lines reach the files as written; a last partial line is ended at close', async () => {
    const { dir, out, err, writer } = setup();
    out.send('one\ntw');
    err.send('oops\n');
    out.send('o\nthree');
    out.emit('end');
    err.emit('end');
    await writer.done;
    expect(readFileSync(join(dir, 'api-out.log'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(readFileSync(join(dir, 'api-err.log'), 'utf8')).toBe('oops\n');
  });

  test('stdout and stderr sent to the same file share it, each line whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-writer-'));
    dirs.push(dir);
    const file = join(dir, 'api.log');
    const { out, err, writer } = setup({
      streams: [
        { fd: 3, stream: 'out', file },
        { fd: 4, stream: 'err', file },
      ],
      format: { dateFormat: null, json: true },
    });
    out.send('from out, part');
    err.send('from err\n');
    out.send(' two\n');
    out.emit('end');
    err.emit('end');
    await writer.done;
    const records = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { stream: string; message: string });
    expect(records.map((r) => [r.stream, r.message])).toEqual([
      ['err', 'from err'],
      ['out', 'from out, part two'],
    ]);
  });

  test('rotation under a burst loses, splits and doubles no line, and keeps `retain` files', async () => {
    const { dir, out, err, writer } = setup({
      rotate: { maxBytes: 4096, retain: 1000, compress: true, dateFormat: 'YYYY-MM-DD_HH-mm-ss' },
    });
    // Chunks that end in the middle of lines, as a pipe gives them.
    let text = '';
    for (let i = 1; i <= 20_000; i += 1) text += `line ${i}\n`;
    for (let at = 0; at < text.length; at += 777) out.send(text.slice(at, at + 777));
    out.emit('end');
    err.emit('end');
    await writer.done;
    const rotated = readdirSync(dir).filter((n) => n.startsWith('api-out__'));
    expect(rotated.length).toBeGreaterThan(10);
    expect(rotated.every((n) => n.endsWith('.log.gz'))).toBe(true);
    const lines = allLines(dir, 'api-out');
    expect(lines).toHaveLength(20_000);
    expect(new Set(lines).size).toBe(20_000);
    expect(lines.every((l) => /^line \d+$/.test(l))).toBe(true);
  });

  test('retention deletes the oldest rotated files', async () => {
    const { dir, out, err, writer } = setup({
      rotate: { maxBytes: 1000, retain: 3, compress: false, dateFormat: 'HH-mm-ss' },
    });
    for (let i = 0; i < 20; i += 1) out.send(`${'x'.repeat(499)}\n${'y'.repeat(499)}\n`);
    out.emit('end');
    err.emit('end');
    await writer.done;
    expect(readdirSync(dir).filter((n) => n.startsWith('api-out__'))).toHaveLength(3);
  });

  test('after an external move, reopen() continues in a fresh file at the path', async () => {
    const { dir, out, err, writer } = setup();
    const { renameSync } = await import('node:fs');
    out.send('before\n');
    renameSync(join(dir, 'api-out.log'), join(dir, 'api-out.log.1'));
    out.send('still in the moved file\n');
    writer.reopen();
    out.send('after\n');
    out.emit('end');
    err.emit('end');
    await writer.done;
    expect(readFileSync(join(dir, 'api-out.log.1'), 'utf8')).toBe('before\nstill in the moved file\n');
    expect(readFileSync(join(dir, 'api-out.log'), 'utf8')).toBe('after\n');
  });

  test('time prefixes use the chunk time in the configured format', async () => {
    const { dir, out, err, writer } = setup({ format: { dateFormat: 'YYYY-MM-DD HH:mm', json: false } });
    out.send('hello\r\nworld\n');
    out.emit('end');
    err.emit('end');
    await writer.done;
    expect(readFileSync(join(dir, 'api-out.log'), 'utf8')).toBe('2026-11-22 05:50: hello\n2026-11-22 05:50: world\n');
  });

  test('log_file: every line of both streams also goes, whole, to the combined file', async () => {
    const { dir, out, err, writer } = setup((dir) => ({ combined: join(dir, 'api.log') }));
    out.send('out 1\nout ');
    err.send('err 1\n');
    out.send('2\n');
    out.emit('end');
    err.emit('end');
    await writer.done;
    expect(readFileSync(join(dir, 'api-out.log'), 'utf8')).toBe('out 1\nout 2\n');
    expect(readFileSync(join(dir, 'api-err.log'), 'utf8')).toBe('err 1\n');
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('out 1\nerr 1\nout 2\n');
  });

  test('a log folder deleted while written is made again: the lines after the next second reach the new file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-writer-'));
    dirs.push(dir);
    const logs = join(dir, 'logs');
    const out = new FakeInput();
    const reports: string[] = [];
    let now = 1_000_000;
    const writer = startWriter(
      {
        home: dir,
        app: 'api',
        instance: 0,
        streams: [{ fd: 3, stream: 'out', file: join(logs, 'api-out.log') }],
        format: null,
        rotate: null,
      },
      new Map([[3, out]]),
      { now: () => now, report: (m) => reports.push(m) },
    );
    out.send('before\n');
    rmSync(logs, { recursive: true });
    now += 999;
    out.send('in the second the deletion is not looked for\n');
    now += 1;
    out.send('after\n');
    out.send('and on\n');
    out.emit('end');
    await writer.done;
    expect(readFileSync(join(logs, 'api-out.log'), 'utf8')).toBe('after\nand on\n');
    expect(reports).toEqual([expect.stringMatching(/api-out\.log was deleted or moved while written/)]);
  });
});
