import { describe, expect, it } from 'vitest';
import { LogStream, type LogBatch } from '../../../src/dashboard/log-stream.js';

/** A fake follower: the test pushes lines into a file by name and sees which files are followed. */
function fakeFollow() {
  const open = new Map<string, (lines: string[]) => void>();
  const follow = ((file: string, onLines: (lines: string[]) => void) => {
    open.set(file, onLines);
    return { close: () => open.delete(file) };
  }) as unknown as ConstructorParameters<typeof LogStream>[1]['follow'];
  return { open, follow };
}

describe('dashboard log stream', () => {
  it('follows each file once, tagged with its app and stream, and stops following files no longer named', () => {
    const { open, follow } = fakeFollow();
    const got: LogBatch[][] = [];
    const stream = new LogStream((b) => got.push(b), { maxLinesPerFlush: 100, flushMs: 60_000, follow });
    stream.sync([
      { file: '/l/api-out.log', app: 'api', stream: 'out' },
      { file: '/l/api-out.log', app: 'api', stream: 'out' },
      { file: '/l/api-err.log', app: 'api', stream: 'err' },
    ]);
    expect([...open.keys()]).toEqual(['/l/api-out.log', '/l/api-err.log']);
    open.get('/l/api-err.log')!(['boom']);
    stream.flush();
    expect(got).toEqual([[{ app: 'api', stream: 'err', lines: ['boom'], skipped: 0 }]]);
    stream.sync([{ file: '/l/api-out.log', app: 'api', stream: 'out' }]);
    expect([...open.keys()]).toEqual(['/l/api-out.log']);
    stream.close();
    expect(open.size).toBe(0);
  });

  it('sends at most maxLinesPerFlush lines of a flood, the newest, and counts the rest', () => {
    const { open, follow } = fakeFollow();
    const got: LogBatch[][] = [];
    const stream = new LogStream((b) => got.push(b), { maxLinesPerFlush: 3, flushMs: 60_000, maxLineChars: 5, follow });
    stream.sync([{ file: '/l/x.log', app: 'x', stream: 'out' }]);
    open.get('/l/x.log')!(['1', '2', '3', '4']);
    open.get('/l/x.log')!(['5', 'a very long line']);
    stream.flush();
    expect(got).toEqual([[{ app: 'x', stream: 'out', lines: ['4', '5', 'a ver…'], skipped: 3 }]]);
    stream.flush();
    expect(got).toHaveLength(1);
    stream.close();
  });
});
