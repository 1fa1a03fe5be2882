import { describe, expect, it } from 'vitest';
import { newProcStat, parseStatBytes } from '../../../src/runtime/process-tree.js';

/** A full /proc/<pid>/stat line (52 fields) with the fields tend reads set. */
function statLine(o: {
  pid?: number;
  comm: string;
  state?: string;
  ppid: number;
  pgid: number;
  utime: number;
  stime: number;
  start: number;
  rss: number;
}): string {
  const f = Array.from({ length: 53 }, () => '0');
  f[3] = o.state ?? 'S';
  f[4] = String(o.ppid);
  f[5] = String(o.pgid);
  f[8] = '-1'; // tpgid of a process with no terminal
  f[14] = String(o.utime);
  f[15] = String(o.stime);
  f[18] = '20';
  f[19] = '-5'; // nice
  f[22] = String(o.start);
  f[23] = '1234567890';
  f[24] = String(o.rss);
  f[25] = '18446744073709551615';
  return `${o.pid ?? 42} (${o.comm}) ${f.slice(3).join(' ')}\n`;
}

function parse(text: string) {
  const bytes = Buffer.from(text);
  const into = newProcStat();
  return parseStatBytes(bytes, bytes.length, into) ? into : null;
}

describe('parseStatBytes', () => {
  it.each([
    { comm: 'node' },
    { comm: 'my app' },
    { comm: 'evil) S 1 1 1 0 (x' },
    { comm: 'a))' },
    { comm: '' },
    { comm: 'né ✓' },
  ])('reads every field tend uses after a command name like "$comm"', ({ comm }) => {
    const line = statLine({
      comm,
      state: 'R',
      ppid: 7,
      pgid: 40,
      utime: 1500,
      stime: 250,
      start: 9_876_543_210,
      rss: 12_345,
    });
    expect(parse(line)).toEqual({
      state: 'R',
      ppid: 7,
      pgid: 40,
      cpuTicks: 1750,
      startTime: 9_876_543_210,
      rssPages: 12_345,
    });
  });

  it('reads only the bytes it is told are there, not what an earlier, longer line left in the buffer', () => {
    const buffer = Buffer.alloc(4096);
    const long = Buffer.from(
      statLine({ comm: 'a much longer command name', ppid: 1, pgid: 1, utime: 1, stime: 1, start: 1, rss: 999_999 }),
    );
    long.copy(buffer);
    // A line cut before the rss field, written over the longer one.
    const cut = Buffer.from(
      statLine({ comm: 'x', ppid: 2, pgid: 2, utime: 2, stime: 2, start: 2, rss: 5 }).split(' ').slice(0, 23).join(' '),
    );
    cut.copy(buffer);
    expect(parseStatBytes(buffer, cut.length, newProcStat())).toBe(false);
  });

  it.each([
    { what: 'no command name', text: 'garbage' },
    { what: 'nothing after the name', text: '42 (node)' },
    {
      what: 'a field that is not a number',
      text: statLine({ comm: 'node', ppid: 1, pgid: 1, utime: 1, stime: 1, start: 1, rss: 1 }).replace(
        ' 1 1 ',
        ' x 1 ',
      ),
    },
    { what: 'an empty text', text: '' },
  ])('refuses $what', ({ text }) => {
    expect(parse(text)).toBeNull();
  });
});
