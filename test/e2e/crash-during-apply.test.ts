import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, processesOfHome, sleep, TendHarness, until } from './harness.js';

// kill -9 of the daemon at any moment of a big apply: the next commands find every app exactly once, adopted, with
// no duplicate and no process left outside tend's control.

const APPS = 150;

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** The app processes of the home by their tend id (TEND_ID), as /proc tells it. */
function appProcessesById(home: string): Map<number, number[]> {
  const byId = new Map<number, number[]>();
  for (const pid of processesOfHome(home)) {
    let vars: string[];
    try {
      vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const id = vars.find((v) => v.startsWith('TEND_ID='))?.slice(8);
    if (id !== undefined) byId.set(Number(id), [...(byId.get(Number(id)) ?? []), pid]);
  }
  return byId;
}

describe('a daemon killed with SIGKILL during an apply', () => {
  // Early (few spawned), in the middle, and late (most spawned, few recorded before the fix).
  it.each([60, 250, 600])(
    'at %i ms: the next apply leaves every app once, adopted',
    async (afterMs) => {
      // listen_timeout only widens how long apply waits for each one: 150 spawns on a loaded CI machine take a while.
      const apps = Array.from(
        { length: APPS },
        (_, i) => `  - name: s${i}\n    script: sleep\n    args: ["1000"]\n    listen_timeout: 60000\n`,
      );
      const file = tend.write('ecosystem.yml', `apps:\n${apps.join('')}`);
      const applying = new Promise<void>((resolve) => {
        execFile(process.execPath, [CLI, 'apply', file], { env: { ...process.env, TEND_HOME: tend.home } }, () =>
          resolve(),
        );
      });
      const daemon = await until(() => tend.daemonPid(), 10_000, 'the daemon');
      await sleep(afterMs);
      process.kill(daemon!, 'SIGKILL');
      await applying;
      const before = appProcessesById(tend.home);

      await tend.ok(['apply', file], { timeoutMs: 60_000 });
      // An instance the new daemon was still starting again (it died with the old one) is live to the plan, so the
      // apply does not wait for it: under load it may be launching for a moment after the apply returns.
      const list = await tend.waitFor(
        (l) => l.length === APPS && l.every((p) => p.status === 'online' && p.pid !== null),
        30_000,
        'every app online',
      );
      const byId = appProcessesById(tend.home);
      // Exactly one process per app, and it is the one `ls` names.
      expect([...byId.values()].filter((pids) => pids.length > 1)).toEqual([]);
      expect(byId.size).toBe(APPS);
      for (const p of list) expect(byId.get(p.id)).toEqual([p.pid]);
      // What ran before the second apply was adopted, not replaced.
      for (const [id, pids] of before) if (byId.has(id)) expect(byId.get(id)).toEqual(pids);
    },
    120_000,
  );
});
