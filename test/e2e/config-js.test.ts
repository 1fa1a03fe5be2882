import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const app = (name: string): string => `{ name: '${name}', script: ${JSON.stringify(fixture('forever.js'))} }`;

describe('JavaScript ecosystem files as a user runs them', () => {
  it('an ESM file (.mjs, or .js in a "type": "module" package) plans and applies on the plain command', async () => {
    const mjs = tend.write('eco.mjs', `export default { apps: [${app('from-mjs')}] };\n`);
    tend.write('esm/package.json', '{ "type": "module" }\n');
    const js = tend.write('esm/ecosystem.config.js', `export const apps = [${app('from-js')}];\n`);
    // Twice each: the second run takes the CLI's compiled code from its cache, the path that used to break.
    for (let i = 0; i < 2; i++) {
      const plan = await tend.run(['plan', mjs]);
      expect(plan.stderr).toBe('');
      expect(plan.stdout).toContain('+ from-mjs  start 1 instance');
    }
    await tend.ok(['apply', mjs]);
    await tend.ok(['apply', js]);
    expect((await tend.list()).map((p) => [p.name, p.status]).sort()).toEqual([
      ['from-js', 'online'],
      ['from-mjs', 'online'],
    ]);
  });

  it('a file that never finishes loading fails within the time limit and starts nothing', async () => {
    const cjs = tend.write('hang.config.js', `while (true) {}\nmodule.exports = { apps: [${app('never')}] };\n`);
    const mjs = tend.write(
      'hang.mjs',
      `await new Promise((r) => setInterval(() => {}, 1000));\nexport default { apps: [${app('never')}] };\n`,
    );
    const started = Date.now();
    const plain = await tend.run(['plan', '--exit-code', cjs], { env: { TEND_CONFIG_TIMEOUT: '700' } });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(`did not finish loading within 700 ms`);
    const flagged = await tend.run(['apply', '--load-timeout', '700', mjs]);
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('hang.mjs did not finish loading within 700 ms');
    // A top-level await on a promise nothing can settle: Node's loop runs dry, and that is said as such.
    const dry = tend.write('dry.mjs', `await new Promise(() => {});\nexport default { apps: [${app('never')}] };\n`);
    const dried = await tend.run(['plan', dry]);
    expect(dried.code).toBe(1);
    expect(dried.stderr).toContain('dry.mjs never finished loading');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await tend.list()).toEqual([]);
  });

  it('a file that calls process.exit() while loading is an error, never a silent success', async () => {
    const cjs = tend.write('exits.config.js', `process.exit(0);\nmodule.exports = { apps: [${app('never')}] };\n`);
    const mjs = tend.write('exits.mjs', `process.exit(0);\nexport default { apps: [${app('never')}] };\n`);
    for (const file of [cjs, mjs]) {
      const plan = await tend.run(['plan', '--exit-code', file]);
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain('called process.exit(0) while loading');
      const apply = await tend.run(['apply', file]);
      expect(apply.code).toBe(1);
    }
    expect(await tend.list()).toEqual([]);
  });

  it('a getter that throws and a cycle are named by key; a Promise export is awaited', async () => {
    const getter = tend.write(
      'getter.config.js',
      `module.exports = { apps: [{ name: 'a', script: 'x.js', get env() { throw new Error('getter boom'); } }] };\n`,
    );
    const cycle = tend.write(
      'cycle.config.js',
      `const a = ${app('a')};\na.env = { self: a };\nmodule.exports = { apps: [a] };\n`,
    );
    const later = tend.write('later.config.js', `module.exports = Promise.resolve({ apps: [${app('later')}] });\n`);
    const g = await tend.run(['plan', getter]);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('getter.config.js: reading apps[0].env failed: getter boom');
    const c = await tend.run(['plan', cycle]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('cycle.config.js: apps[0].env.self refers back to apps[0]');
    expect((await tend.ok(['plan', later])).stdout).toContain('+ later  start 1 instance');
  });
});
