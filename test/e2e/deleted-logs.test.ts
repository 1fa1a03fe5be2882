import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, sleep, TendHarness, until } from './harness.js';

// A log folder or file deleted while apps write it: tend finds it, a file is there again at the path, and the app's
// later lines reach it; `ls`/`show` say what happened. Lines written between the deletion and its discovery are lost.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** The tick numbers (`<pid> <n>` lines) of one process in a file, in file order. */
function ticksOf(file: string, pid: number): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`${pid} `))
    .map((line) => Number(line.split(' ')[1]));
}

/** Whether the numbers run on without a gap or a repeat. */
const contiguous = (ticks: number[]): boolean => ticks.every((n, i) => i === 0 || n === ticks[i - 1]! + 1);

function ecosystem(logs: string, extra = ''): string {
  return tend.write(
    'ecosystem.yml',
    `apps:\n  - name: ticks\n    script: ${fixture('ticks.js')}\n    out_file: ${join(logs, 'ticks-out.log')}\n    error_file: ${join(logs, 'ticks-err.log')}\n${extra}`,
  );
}

describe('a log folder deleted under an app that writes its logs itself', () => {
  it('is made again, the app’s later lines reach it, and ls/show say so until the app restarts', async () => {
    const logs = join(tend.work, 'logs');
    const out = join(logs, 'ticks-out.log');
    await tend.ok(['apply', ecosystem(logs)]);
    const [started] = await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online');
    const pid = started!.pid!;
    await until(() => ticksOf(out, pid).length > 5, 5_000, 'first ticks');

    rmSync(logs, { recursive: true });
    const [troubled] = await tend.waitFor(
      (l) =>
        /ticks-out\.log and \S+ticks-err\.log were deleted while the app writes them/.test(l[0]?.log_problem ?? ''),
      15_000,
      'the deletion shown in ls --json',
    );
    expect(troubled!.log_problem).toMatch(
      /tend made them again at \d\d:\d\d:\d\d and copies the app's new lines into them until the app restarts/,
    );
    expect(troubled!.pid).toBe(pid);
    expect((await tend.ok(['ls'])).stdout).toMatch(/⚠ ticks\[0\] \(id 0\): logs: .*ticks-out\.log and .*were deleted/);
    expect((await tend.ok(['show', 'ticks'])).stdout).toMatch(/log trouble\s+.*ticks-out\.log and .*were deleted/);

    // The same process's lines go on arriving in the new file, none lost or doubled from the moment it was made.
    await until(() => ticksOf(out, pid).length > 100, 10_000, 'ticks in the new file');
    const rescued = ticksOf(out, pid);
    expect(contiguous(rescued)).toBe(true);
    const shown = await tend.ok(['logs', 'ticks', '--lines', '3', '--nostream', '--out']);
    expect(shown.stdout).toMatch(new RegExp(`${pid} \\d+`));

    // A restart opens the new file itself: the note goes, and the new process writes where the old one's lines went.
    await tend.ok(['restart', 'ticks']);
    const [restarted] = await tend.waitFor(
      (l) => l[0]?.status === 'online' && l[0].pid !== pid && !l[0].log_problem,
      15_000,
      'restarted, the note gone',
    );
    await until(() => ticksOf(out, restarted!.pid!).length > 5, 5_000, 'the new process in the same file');
    expect(ticksOf(out, pid).length).toBeGreaterThanOrEqual(rescued.length);
  }, 60_000);
});

describe('a log file deleted under an app behind a log writer', () => {
  it('is made again at its path within a second or two, losing at most those lines', async () => {
    const logs = join(tend.work, 'logs');
    const out = join(logs, 'ticks-out.log');
    // A time prefix puts a log writer between the app and its files.
    await tend.ok(['apply', ecosystem(logs, '    log_date_format: HH:mm:ss\n')]);
    const [started] = await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online');
    const pid = started!.pid!;
    const prefixed = (file: string): number[] =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter((line) => line.includes(`: ${pid} `))
            .map((line) => Number(line.split(' ').at(-1)))
        : [];
    await until(() => prefixed(out).length > 5, 5_000, 'first ticks');
    const before = prefixed(out).at(-1)!;

    rmSync(out);
    await until(() => prefixed(out).length > 50, 10_000, 'ticks in the new file');
    const after = prefixed(out);
    expect(contiguous(after)).toBe(true);
    // Ticks come every 20 ms: the writer looks at its path at most a second apart, so about 50 are lost at most.
    expect(after[0]! - before).toBeLessThan(150);
    await sleep(100);
    expect((await tend.list())[0]!.pid).toBe(pid);
  }, 30_000);
});
