import { describe, expect, test } from 'vitest';
import { encodeJsonLine, parseJsonLine } from '../../../src/logs/json-line.js';
import { lineEncoder } from '../../../src/logs/line-format.js';

describe('JSON log lines', () => {
  test('a message with quotes, backslashes, tabs and control characters stays on one parseable line', () => {
    const message = 'say "hi"\\ \t and \u0007 bell, ünïcødé ✓';
    const line = encodeJsonLine({
      timestamp: '2026-11-02T05:07:09.045Z',
      app: 'api',
      instance: 2,
      stream: 'err',
      message,
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      timestamp: '2026-11-02T05:07:09.045Z',
      app: 'api',
      instance: 2,
      stream: 'err',
      message,
    });
  });

  test('reading back gives the record; plain text and other JSON are not taken for one', () => {
    const line = encodeJsonLine({ timestamp: 't', app: 'api', instance: 0, stream: 'out', message: 'm' });
    expect(parseJsonLine(line)).toEqual({ timestamp: 't', app: 'api', instance: 0, stream: 'out', message: 'm' });
    expect(parseJsonLine('plain text')).toBeNull();
    expect(parseJsonLine('{"level":"info"}')).toBeNull();
    expect(parseJsonLine('{"timestamp":"t","message":')).toBeNull();
  });

  test('the writer encodes every line of a chunk with the chunk time, in order, without CRs', () => {
    const encode = lineEncoder({ dateFormat: null, json: true }, { app: 'api', instance: 1, stream: 'out' });
    const text = encode('first\r\nsecond\n', Date.UTC(2026, 10, 2, 5, 7, 9, 45));
    const records = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      { timestamp: '2026-11-02T05:07:09.045Z', app: 'api', instance: 1, stream: 'out', message: 'first' },
      { timestamp: '2026-11-02T05:07:09.045Z', app: 'api', instance: 1, stream: 'out', message: 'second' },
    ]);
  });

  test('a time prefix follows PM2: `<date>: <line>`', () => {
    const encode = lineEncoder({ dateFormat: 'YYYY', json: false }, { app: 'api', instance: 0, stream: 'out' });
    expect(encode('hello\r\n\nworld\n', new Date(2026, 0, 1).getTime())).toBe('2026: hello\n2026: \n2026: world\n');
  });
});
