import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processesNow } from '../../src/runtime/process-tree.js';

let shell: ReturnType<typeof spawn> | undefined;
afterEach(() => {
  // The shell ends by itself once its sleep has; kill it in case the test stopped before that.
  if (shell?.pid && shell.exitCode === null && shell.signalCode === null) shell.kill('SIGKILL');
});

/** A shell that starts `sleep` and waits on it, so the sleep is reaped as soon as it ends; resolves with its pid. */
function sleepUnderShell(): Promise<number> {
  shell = spawn('sh', ['-c', 'sleep 100 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve) => shell!.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('processesNow', () => {
  it('does not hand out a snapshot of this turn that still holds a process that has ended since', async () => {
    const sleeper = await sleepUnderShell();
    // All in one turn of the event loop, as a daemon's exit handlers run: the snapshot, the end, the next question.
    expect(processesNow(sleeper).has(sleeper)).toBe(true);
    process.kill(sleeper, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (!gone(sleeper) && Date.now() < deadline) {
      // its shell reaps it; nothing to await here, on purpose
    }
    expect(gone(sleeper)).toBe(true);
    expect(processesNow(sleeper).has(sleeper)).toBe(false);
  });
});
