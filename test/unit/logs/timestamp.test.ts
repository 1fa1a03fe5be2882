import { describe, expect, test } from 'vitest';
import { cachedFormatter, formatTime } from '../../../src/logs/timestamp.js';

// Local time is what users see in their logs; the tests build dates from local fields so they pass in any zone.
const at = new Date(2026, 10, 2, 5, 7, 9, 45);

describe('time prefixes (day.js formats, as PM2)', () => {
  test.each([
    ['YYYY-MM-DDTHH:mm:ss', '2026-11-02T05:07:09'],
    ['YYYY-MM-DD HH:mm:ss.SSS', '2026-11-02 05:07:09.045'],
    ['D/M/YY h:m:s A', '2/11/26 5:7:9 AM'],
    ['ddd, MMM D', 'Mon, Nov 2'],
    ['dddd MMMM', 'Monday November'],
    ['YYYY [at] HH[h]', '2026 at 05h'],
    ['YYYY-MM-DD_HH-mm-ss', '2026-11-02_05-07-09'],
  ])('%s', (format, expected) => {
    expect(formatTime(at, format)).toBe(expected);
  });

  test('Z and ZZ give the local offset', () => {
    const minutes = -at.getTimezoneOffset();
    const sign = minutes >= 0 ? '+' : '-';
    const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
    const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
    expect(formatTime(at, 'Z')).toBe(`${sign}${hh}:${mm}`);
    expect(formatTime(at, 'ZZ')).toBe(`${sign}${hh}${mm}`);
  });

  test('12 at noon and midnight in 12-hour formats', () => {
    expect(formatTime(new Date(2026, 0, 1, 0, 0), 'h a')).toBe('12 am');
    expect(formatTime(new Date(2026, 0, 1, 12, 0), 'hh A')).toBe('12 PM');
  });

  test('X and x are Unix seconds and milliseconds', () => {
    expect(formatTime(new Date(1_700_000_000_123), 'X x')).toBe('1700000000 1700000000123');
  });

  test('the cached formatter gives the same text as formatting each time', () => {
    const format = cachedFormatter('HH:mm:ss.SSS');
    const ms = at.getTime();
    expect(format(ms)).toBe('05:07:09.045');
    expect(format(ms)).toBe('05:07:09.045');
    expect(format(ms + 1)).toBe('05:07:09.046');
  });
});
