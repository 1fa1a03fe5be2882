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
