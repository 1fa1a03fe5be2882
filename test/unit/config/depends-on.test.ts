// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` written in an ecosystem file is what these tests are about
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import type { LoadOptions } from '../../../src/config/options.js';
import { baseOptions, lines, tendErrorOf } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tend-depends-on-'));
  await writeFile(join(dir, 'app.js'), '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let count = 0;
async function load(text: string, options: Partial<LoadOptions> = {}) {
  const file = join(dir, `eco-${count++}.yml`);
  await writeFile(file, text);
  return loadDesiredState(file, { ...baseOptions, ...options });
}

const chain = `apps:
  - name: web
    script: app.js
    depends_on: [api]
  - name: api
    script: app.js
    depends_on:
      db: { condition: ready, restart: true }
  - name: db
    script: app.js
`;

describe('depends_on', () => {
  test('short and long forms become each app’s dependsOn; an app without one has none', async () => {
    const desired = await load(chain);
    expect(desired.apps.map((app) => [app.name, app.dependsOn])).toEqual([
      ['web', [{ app: 'api', condition: 'started', restart: false }]],
      ['api', [{ app: 'db', condition: 'ready', restart: true }]],
      ['db', undefined],
    ]);
  });

  test('--only web brings what web needs, directly or not; --no-deps does not', async () => {
    expect((await load(chain, { only: ['web'] })).apps.map((app) => app.name)).toEqual(['web', 'api', 'db']);
    expect((await load(chain, { only: ['web'], noDeps: true })).apps.map((app) => app.name)).toEqual(['web']);
  });

  test('names follow append_env_to_name', async () => {
    const desired = await load(
      'apps:\n  - name: api\n    script: app.js\n    append_env_to_name: true\n    depends_on: [db]\n  - name: db\n    script: app.js\n    append_env_to_name: true\n',
      { envName: 'prod' },
    );
    expect(desired.apps.map((app) => [app.name, app.dependsOn?.[0]?.app])).toEqual([
      ['api-prod', 'db-prod'],
      ['db-prod', undefined],
    ]);
  });

  test.each([
    [
      'an unknown name, with a suggestion',
      'apps:\n  - name: api\n    script: app.js\n    depends_on: [dbb]\n  - name: db\n    script: app.js\n',
      [
        '4:18 apps[0].depends_on[0]: depends_on names `dbb`, which is not an app of this file; did you mean `db`? (a dependency must be in the same file)',
      ],
    ],
    [
      'a cycle, named whole, once',
      'apps:\n  - name: api\n    script: app.js\n    depends_on: [worker]\n  - name: worker\n    script: app.js\n    depends_on:\n      api: {}\n',
      ['4:18 apps[0].depends_on[0]: dependency cycle: api → worker → api; nothing is started'],
    ],
    [
      'an app that depends on itself',
      'apps:\n  - name: api\n    script: app.js\n    depends_on: [api]\n',
      ['4:18 apps[0].depends_on[0]: dependency cycle: api → api; nothing is started'],
    ],
    [
      'a longer cycle behind a good start',
      'apps:\n  - name: web\n    script: app.js\n    depends_on: [a]\n  - name: a\n    script: app.js\n    depends_on: [b]\n  - name: b\n    script: app.js\n    depends_on: [c]\n  - name: c\n    script: app.js\n    depends_on: [a]\n',
      ['7:18 apps[1].depends_on[0]: dependency cycle: a → b → c → a; nothing is started'],
    ],
    [
      'a bad condition',
      'apps:\n  - name: api\n    script: app.js\n    depends_on:\n      db: { condition: up }\n  - name: db\n    script: app.js\n',
      ['5:24 apps[0].depends_on.db.condition: expected "started", "ready" or "healthy"; got "up"'],
    ],
  ])('%s is an error at file:line:col', async (_, text, expected) => {
    const error = await tendErrorOf(() => load(text));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual(expected);
  });
});

describe('env_file', () => {
  test('lies under env and env_<name>; a later file wins; paths are relative to the ecosystem file', async () => {
    await writeFile(join(dir, 'base.env'), '# comment\nA=from-file\nB="quoted value"\nC=first\nexport D=4\n');
    await writeFile(join(dir, 'local.env'), 'C=second\nE=${A}\n');
    const desired = await load(
      'apps:\n  - name: api\n    script: app.js\n    env_file: [base.env, ./local.env]\n    env: { A: from-env }\n    env_prod: { B: from-prod }\n',
      { envName: 'prod' },
    );
    const app = desired.apps[0]!;
    expect(app.run.env).toMatchObject({ A: 'from-env', B: 'from-prod', C: 'second', D: '4', E: '${A}' });
    expect(app.envSources).toMatchObject({ A: 'env', B: 'env_prod', C: 'env_file', D: 'env_file' });
  });

  test('a missing file is an error at its name', async () => {
    const error = await tendErrorOf(() =>
      load('apps:\n  - name: api\n    script: app.js\n    env_file: .env.missing\n'),
    );
    expect(lines(error.problems)).toEqual([`4:15 apps[0].env_file: env_file not found: ${join(dir, '.env.missing')}`]);
  });

  test('`env_file` is not an env_<name> overlay', async () => {
    await writeFile(join(dir, 'one.env'), 'X=1\n');
    const desired = await load('apps:\n  - name: api\n    script: app.js\n    env_file: one.env\n', {
      envName: 'file',
    });
    expect(desired.apps[0]!.run.env.X).toBe('1');
  });
});
