import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './harness.js';

// CI runs the chaos run for 20 s (`npm run chaos` runs it for 60 s by default).
describe('chaos', () => {
  it('random app and daemon kills and random commands for 20 s: tend converges, loses no log line, leaves nothing behind', async () => {
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'chaos/run.mjs'), '--seconds', '20', '--dist', join(CLI, '..')],
        { timeout: 120_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: `${stdout}${stderr}` }),
      );
    });
    console.log(result.out.trim());
    expect(result.out).toContain('chaos passed');
    expect(result.code).toBe(0);
  }, 150_000);
});
