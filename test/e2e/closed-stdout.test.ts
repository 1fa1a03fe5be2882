import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** Runs the CLI with a stdout whose reader has gone before the first write, as in `tend ls | head -0`. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: tend.work,
      env: { ...process.env, TEND_HOME: tend.home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that goes away', () => {
  it('`tend ls | head` and `tend apply | head` end quietly, and the apply is still carried out', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: quiet\n    script: ${fixture('forever.js')}\n`);
    const applied = await runWithClosedStdout(['apply', file]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const list = await tend.waitFor(
      (l) => l.some((p) => p.name === 'quiet' && p.status === 'online'),
      10_000,
      'quiet online',
    );
    expect(list).toHaveLength(1);

    for (const args of [['ls'], ['ls', '--json'], ['show', 'quiet']]) {
      const result = await runWithClosedStdout(args);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
    }
  });
});
