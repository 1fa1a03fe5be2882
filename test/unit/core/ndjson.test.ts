import { describe, expect, it } from 'vitest';
import { encodeLine, NdjsonDecoder, type NdjsonLine } from '../../../src/core/ndjson.js';

/** A line as the tests compare it: the message itself, or what went wrong with it. */
type Seen = unknown | { tooLong: number } | { invalidJson: string };

function seen(lines: NdjsonLine[]): Seen[] {
  return lines.map((line) => {
    if (line.kind === 'message') return line.message;
    if (line.kind === 'too-long') return { tooLong: line.bytes };
    expect(line.error).toBeInstanceOf(SyntaxError);
    return { invalidJson: line.error.message };
  });
}

/** Feeds the chunks one by one, then ends the stream; everything the decoder reported, in order. */
function decode(chunks: Array<Buffer | string>, maxLineBytes = 1024): Seen[] {
  const decoder = new NdjsonDecoder({ maxLineBytes });
  const lines = chunks.flatMap((chunk) => decoder.push(chunk));
  lines.push(...decoder.end());
  return seen(lines);
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [0, ...at, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

const MESSAGES: unknown[] = [
  { v: 1, id: 7, method: 'ping' },
  'a string with a \n newline and 日本',
  [1, 2.5, null, true],
  null,
  { nested: { 日本: '🎉', é: 'ü' } },
];
const WIRE = Buffer.from(MESSAGES.map(encodeLine).join(''));

describe('encodeLine', () => {
  it.each(MESSAGES.map((m) => [m]))('%j is JSON.stringify and one newline, with no other newline', (message) => {
    const line = encodeLine(message);
    expect(line).toBe(`${JSON.stringify(message)}\n`);
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('throws what JSON.stringify throws (a cycle), so a writer can answer it', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeLine(cycle)).toThrow(TypeError);
  });
});

describe('NdjsonDecoder: messages however the stream is cut', () => {
  it('reads every message back whole, cut at any one byte', () => {
    for (let i = 0; i <= WIRE.length; i++) expect(decode(cut(WIRE, [i])), `cut at ${i}`).toEqual(MESSAGES);
  });

  it('reads every message back whole, cut at any two bytes', () => {
    for (let i = 0; i <= WIRE.length; i++)
      for (let j = i; j <= WIRE.length; j++) expect(decode(cut(WIRE, [i, j])), `cut at ${i}, ${j}`).toEqual(MESSAGES);
  });

  it('reads them back a byte at a time', () => {
    expect(decode(cut(WIRE, [...WIRE.keys()]))).toEqual(MESSAGES);
  });

  it('takes strings as UTF-8, mixed with buffers', () => {
    const text = WIRE.toString('utf8');
    const half = text.indexOf('\n') + 5;
    expect(decode([text.slice(0, half), Buffer.from(text.slice(half))])).toEqual(MESSAGES);
  });
});

describe('NdjsonDecoder: a multi-byte character cut between chunks', () => {
  const cases = ['日本', '🎉', 'é', 'a日🎉b'].flatMap((text) => {
    const bytes = Buffer.from(encodeLine({ text }));
    const start = bytes.indexOf(Buffer.from(text));
    const end = start + Buffer.byteLength(text);
    // Every cut inside the text's bytes, including those in the middle of a character.
    return Array.from({ length: end - start - 1 }, (_, k) => [text, start + k + 1, bytes] as const);
  });

  it.each(cases)('%s cut at byte %i decodes whole', (text, at, bytes) => {
    expect(decode(cut(bytes, [at]))).toEqual([{ text }]);
  });

  it.each(cases)('%s cut at byte %i, then a byte at a time, decodes whole', (text, at, bytes) => {
    expect(decode([bytes.subarray(0, at), ...cut(bytes.subarray(at), [...bytes.subarray(at).keys()])])).toEqual([
      { text },
    ]);
  });
});

describe('NdjsonDecoder: lines that say nothing', () => {
  it.each([
    ['an empty line', '\n'],
    ['empty lines', '\n\n\n'],
    ['a lone CR', '\r\n'],
    ['spaces and tabs', '  \t \r\n'],
    ['an empty tail at the end', ''],
    ['a blank tail at the end', '   '],
  ])('%s: skipped', (_, text) => {
    expect(decode([text])).toEqual([]);
    expect(decode([`${text}{"a":1}\n${text}`])).toEqual([{ a: 1 }]);
  });

  it('takes CRLF line ends', () => {
    expect(decode(['{"a":1}\r\n[2]\r', '\n3\r\n'])).toEqual([{ a: 1 }, [2], 3]);
  });
});

describe('NdjsonDecoder: garbage lines', () => {
  it.each([
    ['not JSON', 'not json'],
    ['an object cut short', '{"v":1,"id":'],
    ['two values on one line', '{"a":1} {"b":2}'],
    ['binary', Buffer.from([0x00, 0xff, 0xfe, 0x7b])],
    ['a lone half of a character', Buffer.from([0x22, 0xe6, 0x97])],
    ['undefined', 'undefined'],
  ])('%s: reported as invalid JSON, and the next line is read', (_, garbage) => {
    const got = decode([garbage, '\n{"ok":true}\n']);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ invalidJson: expect.any(String) });
    expect(got[1]).toEqual({ ok: true });
  });

  it('reports each garbage line once, in order with the good ones', () => {
    expect(decode(['1\nx\n2\ny\n3\n']).map((s) => (typeof s === 'object' ? 'bad' : s))).toEqual([
      1,
      'bad',
      2,
      'bad',
      3,
    ]);
  });
});

describe('NdjsonDecoder: lines over the limit', () => {
  const limit = 16;
  const fits = `"${'x'.repeat(limit - 2)}"`;
  const over = `"${'x'.repeat(limit - 1)}"`;

  it.each([
    ['a line of exactly the limit, whole', [`${fits}\n1\n`], ['x'.repeat(limit - 2), 1]],
    ['a line of exactly the limit, in pieces', [fits.slice(0, 5), fits.slice(5), '\n1\n'], ['x'.repeat(limit - 2), 1]],
    ['a line one byte over, whole', [`${over}\n1\n`], [{ tooLong: limit + 1 }, 1]],
    ['a line one byte over, its newline later', [over, '\n1\n'], [{ tooLong: limit + 1 }, 1]],
    ['a line one byte over, the byte later', [over.slice(0, -1), over.slice(-1), '\n1\n'], [{ tooLong: limit + 1 }, 1]],
    ['a long line in many pieces', [...'x'.repeat(100), '\n1\n'], [{ tooLong: limit + 1 }, 1]],
    ['a long line in one piece', [`${'x'.repeat(100)}\n1\n`], [{ tooLong: 100 }, 1]],
    ['a long line whose end never comes', ['x'.repeat(20), 'x'.repeat(20)], [{ tooLong: 20 }]],
    ['a long line, then garbage', [`${'x'.repeat(20)}\nnope\n2\n`], [{ tooLong: 20 }, 'invalid', 2]],
    [
      'two long lines, a good one between',
      ['x'.repeat(20), 'x\n1\n', 'y'.repeat(30), '\n2\n'],
      [{ tooLong: 20 }, 1, { tooLong: 30 }, 2],
    ],
    ['a multi-byte line counted in bytes', [`"${'日'.repeat(5)}"\n`], [{ tooLong: 17 }]],
  ])('%s: reported once, and the reader goes on', (_, chunks, expected) => {
    const got = decode(chunks, limit).map((s) =>
      typeof s === 'object' && s !== null && 'invalidJson' in s ? 'invalid' : s,
    );
    expect(got).toEqual(expected);
  });

  it('holds no more than the limit while it drops a line whose end never comes', () => {
    const decoder = new NdjsonDecoder({ maxLineBytes: 1024 });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const reports: NdjsonLine[] = [];
    for (let i = 0; i < 160; i++) {
      reports.push(...decoder.push(chunk));
      expect(decoder.pending).toBeLessThanOrEqual(1024);
    }
    expect(reports).toEqual([{ kind: 'too-long', bytes: 64 * 1024 }]);
    expect(decoder.push('\n{"after":true}\n')).toEqual([{ kind: 'message', message: { after: true } }]);
  });

  it('holds the partial line until it passes the limit, then nothing', () => {
    const decoder = new NdjsonDecoder({ maxLineBytes: 10 });
    expect(decoder.push('1234567890')).toEqual([]);
    expect(decoder.pending).toBe(10);
    expect(decoder.push('1')).toEqual([{ kind: 'too-long', bytes: 11 }]);
    expect(decoder.pending).toBe(0);
    expect(decoder.push('23')).toEqual([]);
    expect(decoder.pending).toBe(0);
  });

  it('takes no limit at all when told Infinity', () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect(decode([encodeLine(big).slice(0, 1000), encodeLine(big).slice(1000)], Number.POSITIVE_INFINITY)).toEqual([
      big,
    ]);
  });
});

describe('NdjsonDecoder: a partial line at the end of the stream', () => {
  it.each([
    ['a message without its newline', ['1\n{"a":', '1}'], [1, { a: 1 }]],
    [
      'a message cut in a character',
      ['"日', Buffer.from('本"').subarray(0, 2), Buffer.from('本"').subarray(2)],
      ['日本'],
    ],
    ['garbage without its newline', ['1\n{"a":'], [1, 'invalid']],
    ['an over-long line without its newline', ['1\n', 'x'.repeat(40)], [1, { tooLong: 40 }]],
    ['nothing after the last newline', ['1\n'], [1]],
  ])('%s', (_, chunks, expected) => {
    const got = decode(chunks, 32).map((s) =>
      typeof s === 'object' && s !== null && 'invalidJson' in s ? 'invalid' : s,
    );
    expect(got).toEqual(expected);
  });

  it('tells how many bytes wait for their newline, and starts afresh after end()', () => {
    const decoder = new NdjsonDecoder({ maxLineBytes: 1024 });
    expect(decoder.pending).toBe(0);
    decoder.push('{"a":1}\n{"b":');
    expect(decoder.pending).toBe(5);
    decoder.push(Buffer.from('"日'));
    expect(decoder.pending).toBe(9);
    expect(seen(decoder.end())).toEqual([{ invalidJson: expect.any(String) }]);
    expect(decoder.pending).toBe(0);
    expect(decoder.end()).toEqual([]);
    expect(seen(decoder.push('2\n'))).toEqual([2]);
  });
});
