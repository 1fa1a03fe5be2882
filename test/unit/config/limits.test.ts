import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { baseOptions, tendErrorOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-limits-'));
writeFileSync(join(dir, 'app.js'), '');

/** A file of `apps` fork apps of `instances` each. */
function file(apps: number, instances: number): string {
  const path = join(dir, `eco-${apps}x${instances}.yml`);
  const lines = ['apps:'];
  for (let i = 0; i < apps; i++)
    lines.push(`  - name: a${i}`, '    script: app.js', '    exec_mode: fork', `    instances: ${instances}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

afterEach(() => {
  delete process.env.TEND_MAX_INSTANCES;
  delete process.env.TEND_MAX_PROCESSES;
});

describe('how many processes a file may ask for', () => {
  test('a file over 10,000 processes in all is refused, naming the file and the limit', async () => {
    const path = file(11, 1000);
    const error = await tendErrorOf(() => loadDesiredState(path, baseOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.message)).toEqual([
      `${path} asks for 11000 processes in all, over the limit of 10000 (TEND_MAX_PROCESSES raises it)`,
    ]);
  });

  test('the limits are documented defaults that the environment raises', async () => {
    process.env.TEND_MAX_INSTANCES = '2000';
    process.env.TEND_MAX_PROCESSES = '20000';
    const desired = await loadDesiredState(file(11, 1500), baseOptions);
    expect(desired.apps.reduce((sum, app) => sum + app.instances, 0)).toBe(16_500);
  });
});

describe('an environment the kernel would refuse at spawn (E2BIG)', () => {
  test('one variable over 128 KiB, or all of them over about 2 MiB, is refused at the key', async () => {
    const one = join(dir, 'big-var.yml');
    writeFileSync(one, `apps:\n  - name: a\n    script: app.js\n    env:\n      BIG: "${'x'.repeat(200_000)}"\n`);
    const error = await tendErrorOf(() => loadDesiredState(one, baseOptions));
    expect(error.problems.map((p) => `${p.position?.line} ${p.path}: ${p.message}`)).toEqual([
      '5 apps[0].env.BIG: BIG is 200005 bytes; the kernel refuses a variable over 131072 bytes (E2BIG): pass it in a file instead',
    ]);
    const many = join(dir, 'big-env.yml');
    const vars = Array.from({ length: 40 }, (_, i) => `      V${i}: "${'x'.repeat(60_000)}"`).join('\n');
    writeFileSync(many, `apps:\n  - name: a\n    script: app.js\n    env:\n${vars}\n`);
    const total = await tendErrorOf(() => loadDesiredState(many, baseOptions));
    expect(total.problems).toHaveLength(1);
    expect(total.problems[0]!.path).toBe('apps[0].env');
    expect(total.problems[0]!.message).toMatch(/^the environment is \d+ bytes in all; the kernel refuses over about/);
  });
});
