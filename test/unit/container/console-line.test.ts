import { describe, expect, test } from 'vitest';
import { formatConsoleLine, labelOf } from '../../../src/container/console-line.js';

const now = new Date('2026-12-05T10:00:00.000Z');
const source = { label: 'web[1]', app: 'web', instance: 1, stream: 'err' as const };

describe("an app's line on tend-runtime's console", () => {
  test.each([
    ['web', null, 1, 'web'],
    ['web', 0, 1, 'web'],
    ['web', 1, 3, 'web[1]'],
    ['web', null, 3, 'web'],
  ])('the label of %s instance %s of %s is %s', (app, instance, instances, label) => {
    expect(labelOf(app, instance, instances)).toBe(label);
  });

  test('prefixed: the label padded to the widest, then the line', () => {
    expect(formatConsoleLine('prefixed', source, 'hello', 10, now)).toBe('web[1]     | hello\n');
  });

  test('raw: the line as written', () => {
    expect(formatConsoleLine('raw', source, 'hello | world', 10, now)).toBe('hello | world\n');
  });

  test('json: one object on one line, even for a line with quotes and control characters', () => {
    const text = formatConsoleLine('json', source, 'say "hi"\u0007', 10, now);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({
      timestamp: '2026-12-05T10:00:00.000Z',
      app: 'web',
      instance: 1,
      stream: 'err',
      message: 'say "hi"\u0007',
    });
  });
});
