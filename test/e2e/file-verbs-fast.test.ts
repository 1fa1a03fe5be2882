import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

// `tend apply FILE` and `tend plan FILE` take a path of their own, without commander (src/cli/fast/file-verbs.ts);
// with any option they go through commander. The user must not be able to tell them apart.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

function ecosystem(names: string[]): string {
  const apps = names.map((name) => `  - name: ${name}\n    script: ${fixture('forever.js')}\n`).join('');
  return tend.write('eco.yml', `apps:\n${apps}`);
}

describe('apply and plan given nothing but a file', () => {
  it('plan prints what commander prints, and apply carries it out', async () => {
    const file = ecosystem(['b', 'a']);
    // --no-color is not a fast-path option: that call goes through commander.
    const fast = await tend.ok(['plan', file]);
    const full = await tend.ok(['plan', file, '--no-color']);
    expect(fast.stdout).toBe(full.stdout);
    expect(fast.stdout).toContain('2 to start');

    const applied = await tend.ok(['apply', file]);
    expect(applied.stdout).toContain('2/2 instances up');
    expect((await tend.list()).map((p) => [p.name, p.status])).toEqual([
      ['b', 'online'],
      ['a', 'online'],
    ]);
    const again = [await tend.ok(['apply', file]), await tend.ok(['apply', file, '--no-color'])];
    expect(again[0]!.stdout).toBe(again[1]!.stdout);
  });

  it('a bad file gets the same positioned error either way, exit 1, and nothing starts', async () => {
    const file = tend.write('bad.yml', 'apps:\n  - name: ok\n    script: x.js\n    instances: lots\n');
    const fast = await tend.run(['apply', file]);
    const full = await tend.run(['apply', file, '--no-color']);
    expect(fast.code).toBe(1);
    expect(fast.stderr).toBe(full.stderr);
    expect(fast.stderr).toContain(`${file}:4:16`);
    expect(await tend.list()).toEqual([]);
  });

  it("keeps V8's code for the file verbs in the user's cache folder, and a broken cache only costs time", async () => {
    const file = ecosystem(['a']);
    const env = { XDG_CACHE_HOME: join(tend.work, 'xdg-cache') };
    const first = await tend.ok(['plan', file], { env });
    const cacheDir = join(env.XDG_CACHE_HOME, 'tend');
    const cached = readdirSync(cacheDir);
    expect(cached).toEqual([expect.stringMatching(/^file-verbs\.cjs-[0-9a-z]+-\d+-\d+-v8-.+\.cache$/)]);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect((await tend.ok(['plan', file], { env })).stdout).toBe(first.stdout);

    writeFileSync(join(cacheDir, cached[0]!), 'not code');
    expect((await tend.ok(['plan', file], { env })).stdout).toBe(first.stdout);
    expect((await tend.ok(['plan', file], { env })).stdout).toBe(first.stdout);
  });
});
