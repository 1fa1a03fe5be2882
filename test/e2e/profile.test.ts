import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, freePort, TendHarness } from './harness.js';
import { sequentialRequests } from './load.js';

// `tend profile` and `tend inspect` as a user runs them against a busy Node.js server: the files are what Chrome
// DevTools opens, they show where the time goes, and the app answers throughout.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function startBusy(instances: number): Promise<number> {
  const port = await freePort();
  const file = tend.write(
    'ecosystem.yml',
    `apps:\n  - name: busy\n    script: ${fixture('busy-server.cjs')}\n    instances: ${instances}\n    exec_mode: ${instances > 1 ? 'cluster' : 'fork'}\n    env:\n      PORT: '${port}'\n`,
  );
  await tend.ok(['apply', file]);
  return port;
}

describe('tend profile', () => {
  it('cpu: one .cpuprofile per instance naming the hot function, while the app keeps answering', async () => {
    const port = await startBusy(2);
    const load = sequentialRequests(port);
    const result = await tend.ok(['profile', 'cpu', 'busy', '--duration', '1500ms', '-o', 'busy.cpuprofile']);
    const { answered, failed } = await load.stop();
    expect(result.stdout).toMatch(/busy\[0\] \(id \d+, pid \d+\): \S+busy-0\.cpuprofile \(\d+ KiB\)/);
    expect(result.stdout).toMatch(/busy\[1\] \(id \d+, pid \d+\): \S+busy-1\.cpuprofile/);
    for (const instance of [0, 1]) {
      const profile = JSON.parse(readFileSync(join(tend.work, `busy-${instance}.cpuprofile`), 'utf8'));
      expect(profile.nodes.length).toBeGreaterThan(3);
      expect(profile.samples.length).toBeGreaterThan(100);
      expect(profile.timeDeltas.length).toBe(profile.samples.length);
      const hot = profile.nodes.find(
        (n: { callFrame: { functionName: string } }) => n.callFrame.functionName === 'burnCpuHotFunction',
      );
      expect(hot?.hitCount).toBeGreaterThan(10);
    }
    expect(answered).toBeGreaterThan(10);
    expect(failed).toBe(0);
  }, 30_000);

  it('heap: a .heapsnapshot of one instance, and profile:mem a sampling profile, named after app, instance and time', async () => {
    await startBusy(1);
    const heap = await tend.ok(['profile', 'heap', 'busy', '--instance', '0']);
    expect(heap.stdout).toMatch(/busy\[0\] .*: \S+busy-0-\d{8}-\d{6}\.heapsnapshot \(\d+(\.\d)? (KiB|MiB)\)/);
    const snapshotFile = readdirSync(tend.work).find((f) => f.endsWith('.heapsnapshot'))!;
    const snapshot = JSON.parse(readFileSync(join(tend.work, snapshotFile), 'utf8'));
    expect(snapshot.snapshot.meta.node_fields).toContain('name');
    expect(snapshot.nodes.length).toBeGreaterThan(1000);
    expect(snapshot.strings.some((s: string) => s.startsWith('kept-string-'))).toBe(true);

    const sampled = await tend.ok(['profile:mem', 'busy', '--duration', '1s']);
    const sampledFile = /(\/\S+\.heapprofile)/.exec(sampled.stdout)![1]!;
    const profile = JSON.parse(readFileSync(sampledFile, 'utf8'));
    expect(profile.head.callFrame.functionName).toBe('(root)');
    expect(Array.isArray(profile.samples)).toBe(true);
  }, 30_000);

  it('a process without a probe, an unknown kind and a missing instance are errors with exit 1', async () => {
    const file = tend.write('sh.yml', 'apps:\n  - name: sleeper\n    script: sleep\n    args: ["1000"]\n');
    await tend.ok(['apply', file]);
    const noProbe = await tend.run(['profile', 'cpu', 'sleeper', '--duration', '100ms']);
    expect(noProbe.code).toBe(1);
    expect(noProbe.stdout).toMatch(/sleeper\[0\] .*error: no probe is connected \(not a Node\.js app/);
    const kind = await tend.run(['profile', 'gpu', 'sleeper']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/tend profile takes cpu, heap or heap-sampling, not `gpu`/);
    const instance = await tend.run(['profile', 'cpu', 'sleeper', '--instance', '4']);
    expect(instance.code).toBe(1);
    expect(instance.stderr).toMatch(/sleeper has no instance 4/);
    expect(readdirSync(tend.work).filter((f) => f.includes('profile'))).toEqual([]);
  }, 30_000);
});

describe('tend inspect', () => {
  it('opens the inspector on 127.0.0.1, prints its ws:// address, and --close closes it', async () => {
    await startBusy(1);
    const opened = await tend.ok(['inspect', 'busy']);
    const [, inspectorPort, id] = /ws:\/\/127\.0\.0\.1:(\d+)\/([0-9a-f-]+)/.exec(opened.stdout)!;
    expect(opened.stderr).toMatch(/tend inspect busy --close/);
    const list = JSON.parse((await get(Number(inspectorPort), '/json/list')).body) as Array<{ id: string }>;
    expect(list.map((t) => t.id)).toContain(id);

    const closed = await tend.ok(['inspect', 'busy', '--close']);
    expect(closed.stdout).toMatch(/busy\[0\] .*: inspector closed/);
    await expect(get(Number(inspectorPort), '/json/list')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(join(tend.work, 'busy.cpuprofile'))).toBe(false);
  }, 30_000);
});
