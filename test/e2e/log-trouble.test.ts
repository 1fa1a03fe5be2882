import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  statSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, sleep, TendHarness } from './harness.js';

// A full disk or an unwritable log file is shown in `ls`/`show`, never crashes the daemon and never stops
// the app for good: the app runs behind a log writer that holds (or drops and counts) lines until the disk
// takes them again.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** A 4 MiB tmpfs the test can fill, or null where mounting is not allowed (not root, no CAP_SYS_ADMIN). */
function smallDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'tend-small-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]).status === 0;
  if (!mounted) rmSync(dir, { recursive: true, force: true });
  return mounted ? dir : null;
}
const probeDisk = smallDisk();
if (probeDisk) {
  execFileSync('umount', [probeDisk]);
  rmSync(probeDisk, { recursive: true, force: true });
}

/** The "<pid> <n>" lines of one process in a log file: contiguous from 0 when none was lost or doubled. */
function ticksOf(file: string, pid: number): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`${pid} `))
    .map((line) => Number(line.split(' ')[1]));
}

function fill(dir: string): void {
  // dd stops at ENOSPC with what fitted written; that is the point.
  spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
}

describe.skipIf(probeDisk === null)('a log disk that fills up (needs root to mount a small tmpfs)', () => {
  let disk: string;
  beforeEach(() => {
    disk = smallDisk()!;
  });
  afterEach(() => {
    spawnSync('umount', ['-l', disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it('is shown in ls and show, the app stays up, and no line is lost once there is room again', async () => {
    const out = join(disk, 'ticks-out.log');
    const file = tend.write(
      'ecosystem.yml',
      `apps:\n  - name: ticks\n    script: ${fixture('ticks.js')}\n    out_file: ${out}\n    error_file: ${join(disk, 'ticks-err.log')}\n    restart_delay: 100\n    env:\n      PAD: '1000'\n`,
    );
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online');

    fill(disk);
    // 50 KB/s: the app's own console.log soon fails with ENOSPC and Node exits; tend starts it again behind a writer.
    const troubled = await tend.waitFor(
      (l) => l[0]?.status === 'online' && /no space left/.test(l[0]!.log_problem ?? ''),
      15_000,
      'the full disk shown on an online ticks',
    );
    const pid = troubled[0]!.pid!;
    const show = await tend.ok(['show', 'ticks']);
    expect(show.stdout).toMatch(/log trouble\s+no space left on the disk of .*KiB free \(ENOSPC\)/);
    expect((await tend.ok(['ls'])).stdout).toMatch(/⚠ ticks\[0\] \(id 0\): logs: no space left on the disk of /);
    // It keeps running while the disk is full: no crash loop.
    await sleep(1500);
    const during = (await tend.list())[0]!;
    expect(during.pid).toBe(pid);
    expect(during.status).toBe('online');
    expect(during.restarts).toBeLessThanOrEqual(1);
    // Behind a writer now: reloadLogs reopens its files, rather than naming it among apps that write them directly.
    const reload = await tend.ok(['reloadLogs']);
    expect(reload.stdout).toMatch(/reopened .*ticks-out\.log.*\(ticks #0, writer \d+\)/);
    expect(reload.stdout).not.toMatch(/not reopened/);

    rmSync(join(disk, 'filler'));
    // The full disk is no longer shown; the lines the crash cost still are.
    await tend.waitFor((l) => /^lines lost at /.test(l[0]!.log_problem ?? ''), 15_000, 'the full disk no longer shown');
    await sleep(1500);
    const ticks = ticksOf(out, pid);
    expect(ticks.length).toBeGreaterThan(50);
    expect(ticks).toEqual(ticks.map((_, i) => i));
  }, 60_000);

  it('filled only for a moment: the crash and the lines it cost stay in ls and show once there is room again', async () => {
    const file = tend.write(
      'ecosystem.yml',
      `apps:\n  - name: ticks\n    script: ${fixture('ticks.js')}\n    out_file: ${join(disk, 'out.log')}\n    error_file: ${join(disk, 'err.log')}\n    restart_delay: 100\n    env:\n      PAD: '1000'\n`,
    );
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online');
    fill(disk);
    // Room again as soon as the app's write failed: the daemon's periodic check may never see the disk full.
    await tend.waitFor((l) => (l[0]?.restarts ?? 0) >= 1, 15_000, 'the crash on the full disk');
    rmSync(join(disk, 'filler'));
    const [shown] = await tend.waitFor(
      (l) => /^lines lost at \d\d:\d\d:\d\d: the app exited with code \d+ writing /.test(l[0]?.log_problem ?? ''),
      10_000,
      'the loss shown',
    );
    expect(shown!.log_problem).toMatch(
      /(out|err)\.log itself on a full disk \(ENOSPC\); it runs behind a log writer since/,
    );
    // Still there after the periodic check found the disk fine again.
    await sleep(6000);
    expect((await tend.list())[0]!.log_problem).toBe(shown!.log_problem);
    expect((await tend.ok(['show', 'ticks'])).stdout).toMatch(/log trouble\s+lines lost at /);
  }, 60_000);
});

describe.skipIf(probeDisk === null)('a full disk under the home (needs root to mount a small tmpfs)', () => {
  beforeEach(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', tend.home]);
  });
  afterEach(() => {
    spawnSync('umount', ['-l', tend.home]);
  });

  it('a daemon that cannot start on the full disk says so at once, and leaves no socket behind', async () => {
    fill(tend.home);
    const started = Date.now();
    const ping = await tend.run(['ping']);
    expect(ping.code).toBe(1);
    expect(ping.stderr).toContain('the tend daemon could not start: no space left on the device that holds the home');
    // Told by the daemon, not found out after the CLI's 5 s wait for a socket.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(existsSync(join(tend.home, 'tend.sock'))).toBe(false);
    rmSync(join(tend.home, 'filler'));
    expect((await tend.ok(['ping'])).stdout).toMatch(/^pong: daemon \d+/);
  });

  it('the daemon keeps answering and supervising, and saves its state again once there is room', async () => {
    const file = tend.write(
      'ecosystem.yml',
      `apps:\n  - name: ticks\n    script: ${fixture('ticks.js')}\n    restart_delay: 100\n    env:\n      PAD: '1000'\n`,
    );
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online');
    const daemon = tend.daemonPid();

    // The daemon's own log ends on a page boundary, so its next line needs a block the full disk does not have.
    const daemonLog = join(tend.home, 'daemon.log');
    appendFileSync(daemonLog, `${'.'.repeat(4095 - (statSync(daemonLog).size % 4096))}\n`);
    fill(tend.home);
    await tend.waitFor(
      (l) => l[0]?.status === 'online' && /no space left/.test(l[0]!.log_problem ?? ''),
      15_000,
      'the full disk shown',
    );
    // Commands that change state still work: the state file cannot be written, and that costs nothing else.
    await tend.ok(['stop', 'ticks']);
    expect((await tend.list())[0]!.status).toBe('stopped');
    await tend.ok(['start', 'ticks']);
    const [running] = await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'ticks online again');
    expect(tend.daemonPid()).toBe(daemon);

    rmSync(join(tend.home, 'filler'));
    // The full disk is no longer shown (the lines a crash on it cost may still be).
    await tend.waitFor((l) => !/no space left/.test(l[0]!.log_problem ?? ''), 15_000, 'the log problem cleared');
    // The state written once there is room is the one a new daemon takes the app back from.
    await tend.ok(['restart', 'ticks']);
    const [restarted] = await tend.waitFor(
      (l) => l[0]?.status === 'online' && l[0]?.pid !== running!.pid,
      10_000,
      'ticks restarted',
    );
    process.kill(daemon!, 'SIGKILL');
    await sleep(200);
    const [adopted] = await tend.list();
    expect(tend.daemonPid()).not.toBe(daemon);
    expect(adopted!.pid).toBe(restarted!.pid);
    expect(adopted!.status).toBe('online');
  }, 60_000);
});

describe('a log file that cannot be created', () => {
  it('does not keep the app from starting; it is shown, and lines reach the file once the user fixes it', async () => {
    const logs = join(tend.work, 'logs');
    // A file stands where the log folder should be.
    writeFileSync(logs, 'not a folder');
    const out = join(logs, 'ticks-out.log');
    const file = tend.write(
      'ecosystem.yml',
      `apps:\n  - name: ticks\n    script: ${fixture('ticks.js')}\n    out_file: ${out}\n    error_file: ${join(logs, 'ticks-err.log')}\n`,
    );
    await tend.ok(['apply', file]);
    const listed = await tend.waitFor(
      (l) => /not a folder \(ENOTDIR\)/.test(l[0]?.log_problem ?? ''),
      15_000,
      'the problem shown',
    );
    expect(listed[0]!.status).toBe('online');
    expect(listed[0]!.restarts).toBe(0);
    const table = await tend.ok(['ls']);
    expect(table.stdout).toMatch(/ticks.*online/);
    expect(table.stdout).toMatch(
      /⚠ ticks\[0\] \(id 0\): logs: cannot create .*ticks-out\.log: .* is not a folder \(ENOTDIR\)/,
    );

    rmSync(logs);
    mkdirSync(logs);
    await tend.waitFor((l) => !l[0]!.log_problem, 15_000, 'the problem cleared');
    await sleep(1500);
    expect(existsSync(out)).toBe(true);
    const ticks = ticksOf(out, listed[0]!.pid!);
    // Every line since the start, held while the file could not be created.
    expect(ticks.length).toBeGreaterThan(50);
    expect(ticks).toEqual(ticks.map((_, i) => i));
  }, 60_000);
});
