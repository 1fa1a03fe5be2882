import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { desiredFromApps } from '../../../src/config/index.js';
import { baseOptions, lines, tendErrorOf } from './helpers.js';

const cwd = resolve('test/fixtures/ecosystems/formats');

describe('desiredFromApps (apps from CLI flags)', () => {
  test('paths resolve against options.cwd, PORT comes from the CLI, no origin', async () => {
    const desired = await desiredFromApps(
      [{ script: 'app.js', name: 'api', instances: '2', max_memory_restart: '100M', port: 3000 }],
      {
        ...baseOptions,
        cwd,
        origin: 'command line',
      },
    );
    expect(desired.file).toBeNull();
    const [app] = desired.apps;
    expect(app?.run.script).toBe(`${cwd}/app.js`);
    expect(app?.instances).toBe(2);
    expect(app?.policy.maxMemoryRestartBytes).toBe(100 * 1024 ** 2);
    expect([app?.run.env.PORT, app?.envSources.PORT]).toEqual(['3000', 'cli']);
    expect(app?.origin).toBeNull();
  });

  test('problems name the origin and the option, without a file position', async () => {
    const error = await tendErrorOf(() =>
      desiredFromApps([{ script: 'app.js', instances: 'lots' }], { ...baseOptions, cwd, origin: 'command line' }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('command line: 1 problem');
    expect(lines(error.problems)).toEqual(['instances: expected a whole number ≥ -CPUs, or "max"; got "lots"']);
  });
});
