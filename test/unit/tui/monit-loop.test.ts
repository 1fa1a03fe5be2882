import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TendError } from '../../../src/core/errors.js';
import type { ApplyResult, ProcessView } from '../../../src/api/methods.js';
import { LogTail } from '../../../src/cli/tui/log-tail.js';
import { runMonit, type MonitPorts } from '../../../src/cli/tui/monit-app.js';
import type { Screen } from '../../../src/cli/tui/terminal.js';
import { makeView } from './views.js';

const timing = { pollMs: 1000, frameMs: 250, historySamples: 10 };
const noFailures: ApplyResult = { plan: { actions: [], unchanged: [] } as unknown as ApplyResult['plan'], failed: [] };

/** A terminal that records frames and lets the test type. */
class FakeScreen implements Screen {
  frames: string[][] = [];
  restored = 0;
  private keys: (data: string) => void = () => undefined;
  enter(onKeys: (data: string) => void): void {
    this.keys = onKeys;
  }
  size() {
    return { columns: 100, rows: 30 };
  }
  draw(lines: readonly string[]): void {
    this.frames.push([...lines]);
  }
  restore(): void {
    this.restored++;
  }
  type(data: string): void {
    this.keys(data);
  }
  last(): string {
    return this.frames.at(-1)!.join('\n');
  }
}

function setup(list: () => Promise<ProcessView[]>) {
  const screen = new FakeScreen();
  const followed: string[] = [];
  const calls: string[] = [];
  const ports: MonitPorts = {
    list,
    restart: async (id) => {
      calls.push(`restart ${id}`);
      return noFailures;
    },
    stop: async (id) => {
      calls.push(`stop ${id}`);
      return [];
    },
    terminal: screen,
    logTail: (onChange, onError) =>
      new LogTail(
        5,
        {
          size: async () => 0,
          readLastLines: async () => [],
          followFile: (file) => {
            followed.push(file);
            return { close: () => undefined };
          },
        },
        onChange,
        onError,
      ),
    now: () => 0,
  };
  return { screen, ports, followed, calls };
}

const apps = [makeView(0, 'alpha'), makeView(1, 'beta')];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the monit loop', () => {
  it('q ends it with the terminal restored once', async () => {
    const { screen, ports } = setup(async () => apps);
    const done = runMonit(ports, apps, timing, false);
    screen.type('q');
    await expect(done).resolves.toEqual({ code: 0 });
    expect(screen.restored).toBe(1);
  });

  it('r restarts the selected process, by id, and says so', async () => {
    const { screen, ports, calls } = setup(async () => apps);
    const done = runMonit(ports, apps, timing, false);
    screen.type('j');
    expect(screen.last()).toMatch(/^> 1 +beta/m);
    screen.type('r');
    expect(screen.last()).toContain('restarting beta (id 1)…');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toEqual(['restart 1']);
    expect(screen.last()).toContain('restarted beta (id 1)');
    screen.type('\u0003');
    await expect(done).resolves.toEqual({ code: 0 });
  });

  it('ends with a message and the terminal restored when the daemon is gone', async () => {
    const { screen, ports } = setup(async () => {
      throw new TendError('DAEMON_UNREACHABLE', 'no tend daemon is running');
    });
    const done = runMonit(ports, apps, timing, false);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toMatchObject({ code: 1, message: expect.stringContaining('daemon is gone') });
    expect(screen.restored).toBe(1);
  });

  it('keeps running and shows other list errors in the footer', async () => {
    let fail = true;
    const { screen, ports } = setup(async () => {
      if (fail) throw new TendError('PROTOCOL', 'the daemon sent an unreadable answer');
      return apps;
    });
    const done = runMonit(ports, apps, timing, false);
    await vi.advanceTimersByTimeAsync(1300);
    expect(screen.last()).toContain('could not list processes: the daemon sent an unreadable answer');
    fail = false;
    screen.type('q');
    await done;
  });

  it('starts no log follower for a list answer that arrives after quitting', async () => {
    let answer: (views: ProcessView[]) => void = () => undefined;
    const { screen, ports, followed } = setup(() => new Promise((resolve) => (answer = resolve)));
    const done = runMonit(ports, apps, timing, false);
    await vi.advanceTimersByTimeAsync(1000);
    const before = followed.length;
    screen.type('q');
    await done;
    answer([makeView(5, 'late')]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(followed.length).toBe(before);
    expect(followed.some((f) => f.includes('late'))).toBe(false);
  });

  it('a bug in a key handler ends it with the terminal restored and the error reported', async () => {
    const { screen, ports } = setup(async () => apps);
    ports.restart = () => {
      throw new Error('boom');
    };
    const done = runMonit(ports, apps, timing, false);
    screen.type('r');
    await expect(done).resolves.toMatchObject({ code: 1, message: expect.stringContaining('boom') });
    expect(screen.restored).toBe(1);
  });
});
