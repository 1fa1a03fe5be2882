import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, sleep, TendHarness, until } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const logsDir = (): string => join(tend.home, 'logs');

/** The lines of a log file and of all its rotated copies (gunzipped), in no particular order. */
function everyLine(stem: string): string[] {
  const dir = logsDir();
  return readdirSync(dir)
    .filter(
      (name) =>
        name === `${stem}.log` || (name.startsWith(`${stem}__`) && (name.endsWith('.log') || name.endsWith('.log.gz'))),
    )
    .flatMap((name) => {
      const data = readFileSync(join(dir, name));
      return (name.endsWith('.gz') ? gunzipSync(data) : data)
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
    });
}

/** Asserts that `lines` (each ending in `line <n>`) hold 1..total exactly once each. */
function expectEveryNumberOnce(lines: string[], total: number): void {
  const seen = new Uint8Array(total + 1);
  let doubled = 0;
  for (const line of lines) {
    const n = Number(/line (\d+)$/.exec(line)?.[1]);
    if (seen[n]) doubled += 1;
    seen[n] = 1;
  }
  const missing = total - seen.subarray(1).reduce((sum, v) => sum + v, 0);
  expect({ lines: lines.length, missing, doubled }).toEqual({ lines: total, missing: 0, doubled: 0 });
}

// Writes `line <n>` every 20 ms, for the reload test: a file moved away must not take later lines with it.
const TICKER = `let n = 0;\nsetInterval(() => { n += 1; process.stdout.write('line ' + n + '\\n'); }, 20);\n`;

describe('logs', () => {
  it('time: true prefixes each line with its time; log_type: json lines parse; tend logs re-emits them unwrapped', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: stamped\n    script: ${fixture('counts-lines.js')}\n    time: true\n    env: { LINES: "50" }\n` +
        `  - name: structured\n    script: ${fixture('counts-lines.js')}\n    log_type: json\n    env: { LINES: "50" }\n`,
    );
    const applied = await tend.ok(['apply', file]);
    expect(applied.stderr).not.toMatch(/not implemented/);
    const stamped = await until(
      () => {
        const lines = readFileSync(join(logsDir(), 'stamped-out.log'), 'utf8').trimEnd().split('\n');
        return lines.length === 50 && lines;
      },
      10_000,
      '50 stamped lines',
    );
    for (const [i, line] of stamped.entries())
      expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: line ${i + 1}$`));

    const records = await until(
      () => {
        const lines = readFileSync(join(logsDir(), 'structured-out.log'), 'utf8').trimEnd().split('\n');
        return lines.length === 50 && lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      },
      10_000,
      '50 JSON lines',
    );
    records.forEach((record, i) => {
      expect(record).toMatchObject({ app: 'structured', instance: 0, stream: 'out', message: `line ${i + 1}` });
      expect(Number.isNaN(Date.parse(String(record.timestamp)))).toBe(false);
    });

    const shown = await tend.ok(['logs', 'structured', '--out', '--json', '--nostream', '--lines', '3']);
    const printed = shown.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(printed.map((p) => p.message)).toEqual(['line 48', 'line 49', 'line 50']);
    expect(printed[0]!.timestamp).toBe(records[47]!.timestamp);
  });

  it('rotation under a 200,000-line burst loses and doubles no line across the rotated (gzipped) and current files', async () => {
    const file = tend.write(
      'eco.yml',
      `log_rotate:\n  max_size: 256K\n  retain: 1000\n  compress: true\napps:\n  - name: burst\n    script: ${fixture('counts-lines.js')}\n    env: { LINES: "200000" }\n`,
    );
    await tend.ok(['apply', file]);
    const total = 200_000;
    await until(
      () => {
        const names = readdirSync(logsDir());
        // Done when every line arrived and compression has caught up (no plain rotated file left).
        return !names.some((n) => /^burst-out__.*\.log$/.test(n)) && everyLine('burst-out').length >= total;
      },
      30_000,
      'all 200,000 lines',
    );
    const rotated = readdirSync(logsDir()).filter((n) => n.startsWith('burst-out__'));
    expect(rotated.length).toBeGreaterThan(5);
    expect(rotated.every((n) => n.endsWith('.log.gz'))).toBe(true);
    expectEveryNumberOnce(everyLine('burst-out'), total);
  });

  it('a daemon killed with SIGKILL during a burst loses no line written through a log writer', async () => {
    const total = 1_000_000;
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: burst\n    script: ${fixture('counts-lines.js')}\n    time: true\n    env: { LINES: "${total}" }\n`,
    );
    // apply is not awaited: the daemon dies while the app is still writing.
    const applying = tend.run(['apply', file]);
    await until(
      () =>
        existsSync(join(tend.home, 'log-writers')) &&
        readdirSync(join(tend.home, 'log-writers')).some((n) => n.endsWith('.json')),
      10_000,
      'the writer',
    );
    const daemon = await until(() => tend.daemonPid() ?? undefined, 5000, 'the daemon pid');
    process.kill(daemon, 'SIGKILL');
    await applying;
    // SIGKILL is delivered at once, but a busy machine may take a moment to tear the process down.
    await until(() => !isAlive(daemon), 5000, 'the killed daemon gone');
    await until(() => everyLine('burst-out').length >= total, 60_000, 'all lines');
    expectEveryNumberOnce(everyLine('burst-out'), total);
    // The next command brings a daemon back, which takes the app back.
    const [app] = await tend.list();
    expect(app?.status).toBe('online');
  });

  it('reloadLogs after an external mv continues in a fresh file; apps writing directly are named', async () => {
    const ticker = tend.write('ticker.js', TICKER);
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: ticker\n    script: ${ticker}\n    max_size: 100M\n  - name: plain\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['apply', file]);
    const current = join(logsDir(), 'ticker-out.log');
    await until(() => readFileSync(current, 'utf8').split('\n').length > 10, 10_000, 'ten ticks');
    const moved = join(logsDir(), 'ticker-out.log.1');
    renameSync(current, moved);
    const reloaded = await tend.ok(['reloadLogs']);
    expect(reloaded.stdout).toMatch(/reopened .*ticker-out\.log/);
    // `plain` writes its files directly; its files were not moved, so it has nothing to reopen.
    expect(reloaded.stdout).toMatch(/plain: writes its files directly, and they were not moved/);
    await until(
      () => existsSync(current) && readFileSync(current, 'utf8').split('\n').length > 10,
      10_000,
      'ticks in the fresh file',
    );
    await tend.ok(['stop', 'ticker']);
    await sleep(300);
    const lines = [...readFileSync(moved, 'utf8').split('\n'), ...readFileSync(current, 'utf8').split('\n')].filter(
      (l) => l !== '',
    );
    const last = Number(/(\d+)$/.exec(lines.at(-1)!)![1]);
    expectEveryNumberOnce(lines, last);
  });
});
