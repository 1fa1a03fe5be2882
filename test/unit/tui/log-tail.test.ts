import { describe, expect, it } from 'vitest';
import { LogTail, type LogFilePorts } from '../../../src/cli/tui/log-tail.js';
import { makeView } from './views.js';

/** Log files in memory: their last lines, and followers the test can feed. */
function fakeFiles(content: Record<string, string[]>) {
  const followers = new Map<string, { from: number | undefined; push: (lines: string[]) => void; closed: boolean }>();
  const ports: LogFilePorts = {
    size: async (file) => (content[file] ?? []).join('\n').length,
    readLastLines: async (file, n) => (content[file] ?? []).slice(-n),
    followFile: (file, onLines, options) => {
      const follower = { from: options?.from, push: onLines, closed: false };
      followers.set(file, follower);
      return { close: () => (follower.closed = true) };
    },
  };
  return { ports, followers };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the live log of the selected process', () => {
  const api = makeView(0, 'api', { pm_out_log_path: '/l/api-out.log', pm_err_log_path: '/l/api-err.log' });
  const worker = makeView(1, 'worker', { pm_out_log_path: '/l/worker-out.log', pm_err_log_path: '/l/worker-err.log' });

  it('starts with the last lines of each file under its name, stderr first, then follows from where they ended', async () => {
    const { ports, followers } = fakeFiles({ '/l/api-out.log': ['o1', 'o2'], '/l/api-err.log': ['e1'] });
    const tail = new LogTail(
      10,
      ports,
      () => undefined,
      (e) => {
        throw e;
      },
    );
    tail.show(api);
    await settle();
    expect(tail.lines()).toEqual([
      { stream: 'note', text: 'api-err.log, last lines:' },
      { stream: 'err', text: 'e1' },
      { stream: 'note', text: 'api-out.log, last lines:' },
      { stream: 'out', text: 'o1' },
      { stream: 'out', text: 'o2' },
    ]);
    expect(followers.get('/l/api-out.log')!.from).toBe('o1\no2'.length);
    followers.get('/l/api-err.log')!.push(['\u001b[31mboom\u001b[0m']);
    expect(tail.lines().at(-1)).toEqual({ stream: 'err', text: 'boom' });
  });

  it('keeps only the newest lines', async () => {
    const { ports, followers } = fakeFiles({});
    const tail = new LogTail(
      3,
      ports,
      () => undefined,
      (e) => {
        throw e;
      },
    );
    tail.show(api);
    await settle();
    followers.get('/l/api-out.log')!.push(['1', '2', '3', '4', '5']);
    expect(tail.lines().map((l) => l.text)).toEqual(['3', '4', '5']);
  });

  it('drops the old followers and lines when another process is selected, and ignores their late lines', async () => {
    const { ports, followers } = fakeFiles({ '/l/worker-out.log': ['w1'] });
    const tail = new LogTail(
      10,
      ports,
      () => undefined,
      (e) => {
        throw e;
      },
    );
    tail.show(api);
    await settle();
    const old = followers.get('/l/api-out.log')!;
    tail.show(worker);
    await settle();
    expect(old.closed).toBe(true);
    old.push(['late api line']);
    expect(tail.lines().map((l) => l.text)).toEqual(['worker-out.log, last lines:', 'w1']);
  });

  it('does nothing when the same files are shown again (each poll asks)', async () => {
    const { ports, followers } = fakeFiles({ '/l/api-out.log': ['o1'] });
    const tail = new LogTail(
      10,
      ports,
      () => undefined,
      (e) => {
        throw e;
      },
    );
    tail.show(api);
    await settle();
    const first = followers.get('/l/api-out.log');
    tail.show({ ...api, restarts: 1 });
    await settle();
    expect(followers.get('/l/api-out.log')).toBe(first);
    expect(tail.lines()).toHaveLength(2);
  });
});
