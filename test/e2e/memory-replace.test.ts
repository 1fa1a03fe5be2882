import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, freePort, TendHarness } from './harness.js';
import { sequentialRequests } from './load.js';

// A cluster worker, or a fork instance on sockets tend holds (`listen`), over max_memory_restart is replaced as a reload
// replaces it (a new instance, ready first, then the old one drained and stopped): the app never stops answering. Other
// fork apps still restart, as PM2 does.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('max_memory_restart of an app that shares its port', () => {
  it.each([
    ['a cluster worker', () => '    exec_mode: cluster\n'],
    [
      'a fork instance on a held socket (listen)',
      (port: number) => `    exec_mode: fork\n    listen: 127.0.0.1:${port}\n`,
    ],
  ])(
    '%s over the limit is replaced by a new one, ready first: no request fails',
    async (_what, mode) => {
      const port = await freePort();
      const flag = join(tend.work, 'leaked');
      const file = tend.write(
        'eco.yml',
        `apps:\n  - name: leaky\n    script: ${fixture('leaky-server.cjs')}\n${mode(port)}    instances: 1\n    max_memory_restart: 120M\n    env:\n      PORT: '${port}'\n      LEAK_ONCE_FLAG: ${flag}\n`,
      );
      await tend.ok(['apply', file]);
      const [first] = await tend.list();
      const load = sequentialRequests(port);
      const [after] = await tend.waitFor(
        (l) => l[0]!.pid !== first!.pid && l[0]!.status === 'online',
        30_000,
        'the leaking worker replaced',
      );
      const { answered, failed } = await load.stop();
      expect(readFileSync(flag, 'utf8')).toBe(String(first!.pid));
      expect(failed).toBe(0);
      expect(answered).toBeGreaterThan(20);
      expect(after!.restarts).toBe(1);
      expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).toMatch(
        new RegExp(`leaky\\[0\\] reloaded: pid ${first!.pid} → ${after!.pid}`),
      );
    },
    60_000,
  );
});
