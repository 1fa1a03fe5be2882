import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, sleep, TendHarness } from './harness.js';

// capture-pane drops trailing spaces, so the prompt is matched without its final space.
const PROMPT = 'monit-test$';

/** A detached tmux session of a fixed size on a private server (-L), so no other tmux is touched. */
class TmuxTerminal {
  readonly server = `tend-monit-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(home: string, cwd: string, columns: number, rows: number) {
    if (spawnSync('tmux', ['-V']).status !== 0)
      throw new Error('these tests need tmux (apt-get install -y tmux; .ci/run installs it)');
    this.tmux([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'monit',
      '-x',
      String(columns),
      '-y',
      String(rows),
      '-c',
      cwd,
      '-e',
      `TEND_HOME=${home}`,
      'bash --norc --noprofile',
    ]);
    // bash does not take PS1 from the environment; a known prompt tells when the shell is back.
    this.type(`PS1='${PROMPT} '; clear`);
  }

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  type(text: string): void {
    this.tmux(['send-keys', '-t', 'monit', '-l', text]);
    this.tmux(['send-keys', '-t', 'monit', 'Enter']);
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'monit', ...keys]);
  }

  screen(): string[] {
    return this.tmux(['capture-pane', '-p', '-t', 'monit']).replace(/\n$/, '').split('\n');
  }

  /** Whether the program in the pane is in the alternate screen, and whether the cursor shows. */
  modes(): { alternate: boolean; cursor: boolean } {
    const [alternate, cursor] = this.tmux(['display-message', '-p', '-t', 'monit', '#{alternate_on} #{cursor_flag}'])
      .trim()
      .split(' ');
    return { alternate: alternate === '1', cursor: cursor === '1' };
  }

  async waitFor(predicate: (lines: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let lines = this.screen();
    while (Date.now() < deadline) {
      lines = this.screen();
      if (predicate(lines)) return lines;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${lines.join('\n')}`);
  }

  /** Stops the private server and removes its socket file, which tmux leaves behind. */
  kill(): void {
    const socket = spawnSync('tmux', ['-L', this.server, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
    }).stdout.trim();
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
    if (socket) rmSync(socket, { force: true });
  }
}

const TICKER = `let n = 0;
setInterval(() => { n += 1; console.log('tick ' + n); if (n % 4 === 0) console.error('warning ' + n); }, 200);
`;

let tend: TendHarness;
let term: TmuxTerminal | undefined;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  term?.kill();
  term = undefined;
  await tend.teardown();
});

async function startTwoApps(): Promise<void> {
  const ticker = tend.write('ticker.js', TICKER);
  await tend.ok(['start', ticker, '--name', 'alpha']);
  await tend.ok(['start', fixture('forever.js'), '--name', 'beta']);
}

async function openMonit(columns = 100, rows = 30): Promise<TmuxTerminal> {
  term = new TmuxTerminal(tend.home, tend.work, columns, rows);
  await term.waitFor((lines) => lines.some((l) => l.startsWith(PROMPT)), 'the shell prompt');
  term.type(`${process.execPath} ${CLI} monit`);
  await term.waitFor(
    (lines) =>
      lines[0]!.includes('tend monit') && lines.some((l) => /alpha/.test(l)) && lines.some((l) => /beta/.test(l)),
    'monit to list the apps',
  );
  return term;
}

const rowOf = (lines: string[], name: string): string | undefined =>
  lines.find((l) => new RegExp(`^[> ] \\d+ +${name} `).test(l));

/** Back at the shell: out of the alternate screen, cursor shown, the prompt on the last non-empty line. */
async function expectShellBack(t: TmuxTerminal, exitCode: number): Promise<string[]> {
  await t.waitFor(() => !t.modes().alternate, 'monit to leave the alternate screen');
  expect(t.modes().cursor).toBe(true);
  t.type('echo "exit=$?"');
  const lines = await t.waitFor((l) => l.some((line) => /^exit=\d+$/.test(line)), 'the shell to answer');
  expect(lines).toContain(`exit=${exitCode}`);
  expect(lines.join('\n')).not.toContain('tend monit ·');
  return lines;
}

describe('tend monit in a terminal', () => {
  it('lists the apps, selects with the arrow keys, restarts the selected one, follows a resize, and quits cleanly with q', async () => {
    await startTwoApps();
    const t = await openMonit(100, 30);
    expect(t.modes()).toEqual({ alternate: true, cursor: false });

    // Memory appears with the daemon's first sample (it samples every second).
    let lines = await t.waitFor((l) => /\d+(\.\d)?mb/.test(rowOf(l, 'alpha') ?? ''), 'the first memory sample');
    expect(rowOf(lines, 'alpha')).toMatch(/^> 0 +alpha +online +\d+% .*\d+(\.\d)?mb .* 0 +\d+s$/);
    expect(rowOf(lines, 'beta')).toMatch(/^ {2}1 +beta +online /);
    expect(lines[1]).toContain('cpu history');
    // The selected process's details and its live log lines.
    expect(lines.join('\n')).toMatch(/── alpha · id 0 ─/);
    expect(lines.join('\n')).toContain(`out ${tend.home}/logs/alpha-out.log`);
    await t.waitFor(
      (l) => l.some((line) => /^ {5}tick \d+/.test(line)) && l.some((line) => /^ err warning \d+/.test(line)),
      "alpha's log lines",
    );
    // The history fills up one sample per second.
    await t.waitFor((l) => /[▁▂▃▄▅▆▇█]{3}/.test(rowOf(l, 'alpha') ?? ''), 'sparklines');

    t.keys('Down');
    lines = await t.waitFor((l) => /^> 1 +beta/.test(rowOf(l, 'beta') ?? ''), 'the selection to move to beta');
    expect(rowOf(lines, 'alpha')).toMatch(/^ {2}0 +alpha/);
    await t.waitFor(
      (l) => l.join('\n').includes('── beta · id 1 ─') && l.some((line) => /forever started/.test(line)),
      "beta's details and logs",
    );

    const before = await tend.list();
    t.keys('r');
    const after = await tend.waitFor(
      (l) => l.find((p) => p.name === 'beta')!.restarts === 1 && l.find((p) => p.name === 'beta')!.status === 'online',
      10_000,
      'beta restarted',
    );
    const pid = (list: typeof before, name: string): number | null => list.find((p) => p.name === name)!.pid;
    expect(pid(after, 'beta')).not.toBe(pid(before, 'beta'));
    expect(pid(after, 'alpha')).toBe(pid(before, 'alpha'));
    expect(after.find((p) => p.name === 'alpha')!.restarts).toBe(0);
    await t.waitFor(
      (l) => l.at(-1)!.includes('restarted beta (id 1)') && new RegExp(`pid ${pid(after, 'beta')} `).test(l.join('\n')),
      'the restart to show',
    );

    t.tmux(['resize-window', '-t', 'monit', '-x', '60', '-y', '20']);
    lines = await t.waitFor(
      (l) => l.length === 20 && l.some((line) => line.startsWith('── beta · id 1 ') && line.length === 60),
      'the layout to follow the new size',
    );
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines[1]).not.toContain('cpu history');
    expect(rowOf(lines, 'beta')).toMatch(/^> 1 +beta +online/);
    expect(lines.at(-1)).toMatch(/q quit$/);

    t.tmux(['resize-window', '-t', 'monit', '-x', '120', '-y', '32']);
    lines = await t.waitFor(
      (l) => l.length === 32 && l.some((line) => line.startsWith('── beta · id 1 ') && line.length === 120),
      'the layout to grow back',
    );
    expect(lines[1]).toContain('cpu history');

    t.keys('q');
    const shell = await expectShellBack(t, 0);
    expect(shell.filter((l) => l.startsWith(PROMPT)).at(-1)).toBe(PROMPT);
  });

  it('Ctrl-C quits and gives the terminal back', async () => {
    await startTwoApps();
    const t = await openMonit();
    t.keys('C-c');
    await expectShellBack(t, 0);
    // Quitting monit stops nothing.
    expect((await tend.list()).map((p) => p.status)).toEqual(['online', 'online']);
  });

  it('s stops the selected app', async () => {
    await startTwoApps();
    const t = await openMonit();
    t.keys('s');
    await tend.waitFor((l) => l.find((p) => p.name === 'alpha')!.status === 'stopped', 10_000, 'alpha stopped');
    await t.waitFor(
      (l) => /^> 0 +alpha +stopped/.test(rowOf(l, 'alpha') ?? '') && l.at(-1)!.includes('stopped alpha (id 0)'),
      'the stop to show',
    );
    expect((await tend.list()).find((p) => p.name === 'beta')!.status).toBe('online');
    t.keys('q');
    await expectShellBack(t, 0);
  });

  it('exits with a message and a clean terminal when the daemon goes away', async () => {
    await startTwoApps();
    const t = await openMonit();
    await tend.ok(['kill']);
    const lines = await expectShellBack(t, 1);
    expect(lines.join('\n')).toContain('tend: the tend daemon is gone; monit stopped');
  });

  it('refuses to run without a terminal, pointing to tend ls', async () => {
    const result = await tend.run(['monit']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('`tend monit` needs a terminal');
  });
});
