import { describe, expect, it } from 'vitest';
import { columnsFor, renderScreen, type MonitView } from '../../../src/cli/tui/layout.js';
import { visibleWidth } from '../../../src/cli/tui/text.js';
import { makeView } from './views.js';

function view(overrides: Partial<MonitView> = {}): MonitView {
  return {
    views: [
      makeView(0, 'api', { cpu: 12 }),
      makeView(1, 'worker', { pid: 2002, restarts: 3, exit_code: 1, restart_reason: 'exited with code 1' }),
    ],
    selectedId: 0,
    history: () => ({ cpu: [0, 5, 10, 20], memory: [10, 20, 30, 40] }),
    logs: [
      { stream: 'out', text: 'listening on 3000' },
      { stream: 'err', text: 'deprecated option' },
    ],
    message: null,
    now: Date.UTC(2025, 0, 1, 12, 0, 0),
    ...overrides,
  };
}

const screen = (v: MonitView, columns: number, rows: number, color = false): string[] =>
  renderScreen(v, { columns, rows }, color);
const row = (lines: string[], text: string): string | undefined => lines.find((l) => l.includes(text));

describe('the monit screen', () => {
  it.each([
    [120, 40],
    [80, 24],
    [60, 15],
    [40, 8],
    [20, 3],
    [10, 1],
  ])('fills exactly %i×%i cells, whatever the size', (columns, rows) => {
    for (const color of [false, true]) {
      const lines = screen(view(), columns, rows, color);
      expect(lines).toHaveLength(rows);
      for (const line of lines) expect(visibleWidth(line)).toBe(columns);
    }
  });

  it('lists every process with status, cpu, memory, restarts and uptime, and marks the selected one', () => {
    const lines = screen(view(), 100, 30);
    expect(row(lines, 'api')).toMatch(/^> 0 +api +online +12% .* 42mb .* 0 +1m$/);
    expect(row(lines, 'worker ')).toMatch(/^ {2}1 +worker +online +3% .* 3 +1m$/);
  });

  it('shows CPU and memory history as sparklines when the terminal is wide enough, and drops them when narrow', () => {
    const wide = screen(view(), 100, 30);
    expect(wide[1]).toContain('cpu history');
    expect(row(wide, '> 0')).toContain('▁▂▄█'); // cpu 0, 5, 10, 20 of 20
    const narrow = screen(view(), 50, 30);
    expect(narrow[1]).not.toContain('history');
    expect(row(narrow, '> 0')).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(row(narrow, '> 0')).toContain('api');
  });

  it('gives up uptime, then restarts, before cutting names to nothing', () => {
    const views = [makeView(0, 'payments-api')];
    expect(columnsFor(views, 60)).toMatchObject({ spark: 0, restarts: true, uptime: true });
    expect(columnsFor(views, 44)).toMatchObject({ spark: 0, restarts: true, uptime: false });
    expect(columnsFor(views, 38)).toMatchObject({ spark: 0, restarts: false, uptime: false });
    expect(columnsFor(views, 38).name).toBeGreaterThanOrEqual(8);
  });

  it("shows the selected process's pid, uptime, restarts, exit code and log paths", () => {
    const lines = screen(view({ selectedId: 1 }), 120, 30).join('\n');
    expect(lines).toContain('── worker · id 1 ──');
    expect(lines).toMatch(/pid 2002 +uptime 1m +restarts 3 +exit code 1/);
    expect(lines).toContain('last restart exited with code 1');
    expect(lines).toContain('out /home/u/.tend/logs/worker-out.log');
    expect(lines).toContain('err /home/u/.tend/logs/worker-err.log');
  });

  it('shows metrics the daemon reports for the process', () => {
    const withMetrics = {
      ...makeView(0, 'api'),
      metrics: { 'eventLoop.p50': 1.234, 'eventLoop.p99': 8, heapUsed: 12.5, requests: 7 },
    };
    const lines = screen(view({ views: [withMetrics] }), 120, 30).join('\n');
    expect(lines).toMatch(/metrics +eventLoop\.p50 1\.23 +eventLoop\.p99 8 +heapUsed 12\.5 +requests 7/);
  });

  it('shows the newest log lines at the bottom of the logs box, stderr marked', () => {
    const logs = Array.from({ length: 50 }, (_, i) => ({
      stream: i % 10 === 9 ? ('err' as const) : ('out' as const),
      text: `line ${i}`,
    }));
    const lines = screen(view({ logs }), 80, 24);
    const logsAt = lines.findIndex((l) => l.startsWith('── logs'));
    const shown = lines.slice(logsAt + 1, -1);
    expect(shown.at(-1)).toMatch(/^ err line 49 *$/);
    expect(shown.at(-2)).toMatch(/^ {5}line 48 *$/);
    expect(shown.length).toBeGreaterThanOrEqual(5);
  });

  it("puts the last action's outcome in the footer next to the key hints", () => {
    const lines = screen(view({ message: { text: 'restarted api (id 0)', kind: 'info' } }), 100, 24);
    expect(lines.at(-1)).toMatch(/^ restarted api \(id 0\) +↑↓\/jk select {2}r restart {2}s stop {2}q quit$/);
  });

  it('says how to start something when there are no processes', () => {
    const lines = screen(view({ views: [], selectedId: null, logs: [] }), 100, 24).join('\n');
    expect(lines).toContain('No processes. Start one with `tend start app.js`');
    expect(lines).toContain('0 processes');
  });

  it('scrolls a long list so the selected process stays visible', () => {
    const views = Array.from({ length: 60 }, (_, i) => makeView(i, `app${i}`));
    const lines = screen(view({ views, selectedId: 55 }), 100, 30);
    expect(row(lines, '> 55')).toContain('app55');
    expect(lines.join('\n')).not.toContain('app0 ');
  });

  it('writes no escape codes without colour (NO_COLOR), and colours with it', () => {
    expect(screen(view(), 100, 30, false).join('')).not.toContain('\u001b');
    const coloured = screen(view(), 100, 30, true).join('');
    expect(coloured).toContain('\u001b[7m');
    expect(coloured).toContain('\u001b[32m');
  });
});
