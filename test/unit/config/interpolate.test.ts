// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` written in an ecosystem file is what these tests are about
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { interpolateString } from '../../../src/config/interpolate.js';
import { baseOptions, lines, tendErrorOf } from './helpers.js';

const vars = { HOST: 'db.local', EMPTY: '', PORT: '5432' };

describe('interpolateString (docker compose rules)', () => {
  test.each([
    ['no dollar', 'plain', 'plain'],
    ['${VAR}', 'postgres://${HOST}:${PORT}/x', 'postgres://db.local:5432/x'],
    ['${VAR:-default} when set', '${HOST:-localhost}', 'db.local'],
    ['${VAR:-default} when unset', '${NOPE:-localhost}', 'localhost'],
    ['${VAR:-default} when empty', '${EMPTY:-localhost}', 'localhost'],
    ['${VAR-default} when empty keeps the empty value', '[${EMPTY-localhost}]', '[]'],
    ['${VAR-default} when unset', '${NOPE-localhost}', 'localhost'],
    ['a default may refer to another variable', '${NOPE:-${HOST}:${PORT}}', 'db.local:5432'],
    ['an empty default', '[${NOPE:-}]', '[]'],
    ['$$ is a literal $', 'cost: $$5 and $${HOST}', 'cost: $5 and ${HOST}'],
    ['$VAR without braces is kept as written', 'echo $HOME $1 $', 'echo $HOME $1 $'],
    ['${VAR:?message} when set', '${HOST:?need a host}', 'db.local'],
    ['${VAR?message} when empty', '[${EMPTY?need it}]', '[]'],
  ])('%s', (_, text, expected) => {
    expect(interpolateString(text, vars)).toEqual({ value: expected, unset: [] });
  });

  test('${VAR} of an unset variable is empty and named, for a warning', () => {
    expect(interpolateString('a${NOPE}b', vars)).toEqual({ value: 'ab', unset: ['NOPE'] });
  });

  test.each([
    ['${NOPE:?need the database URL}', 'required variable NOPE is not set or empty: need the database URL'],
    ['${EMPTY:?}', 'required variable EMPTY is not set or empty'],
    ['${NOPE?set it}', 'required variable NOPE is not set: set it'],
    ['${NOPE', '`${NOPE` has no closing `}` (write $$ for a literal $)'],
    ['${1X}', '`${1X}` is not a variable reference: a name is letters, digits and _ (write $$ for a literal $)'],
    ['${A B}', '`${A B}` is not a variable reference: a name is letters, digits and _ (write $$ for a literal $)'],
    ['${HOST:x}', '`${HOST:x}` is not a variable reference (write $$ for a literal $)'],
  ])('%s is an error', (text, error) => {
    expect(interpolateString(text, vars).error).toBe(error);
  });
});

describe('interpolation in an ecosystem file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tend-interpolate-'));
    await writeFile(join(dir, 'app.js'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const load = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    return loadDesiredState(join(dir, name), { ...baseOptions, vars });
  };

  test('reaches every string value of a YAML file, keys untouched', async () => {
    const desired = await load(
      'ok.yml',
      'apps:\n  - name: ${NOPE:-api}\n    script: app.js\n    args: ["--db", "${HOST}"]\n    env:\n      ${PORT}: "${PORT}"\n',
    );
    expect(desired.apps[0]!.name).toBe('api');
    expect(desired.apps[0]!.run.args).toEqual(['--db', 'db.local']);
    expect(desired.apps[0]!.run.env).toMatchObject({ '${PORT}': '5432' });
  });

  test('a missing required variable is an error at file:line:col, naming the variable and the message', async () => {
    const error = await tendErrorOf(() =>
      load('bad.yml', 'apps:\n  - name: api\n    script: app.js\n    env:\n      DB: "${DB_URL:?need it}"\n'),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual([
      '5:11 apps[0].env.DB: required variable DB_URL is not set or empty: need it',
    ]);
  });

  test('JSON files too; an unset ${VAR} is a warning at its value', async () => {
    const desired = await load('w.json', '{"apps": [{"name": "api", "script": "app.js", "env": {"X": "${NOPE}"}}]}');
    expect(desired.apps[0]!.run.env.X).toBe('');
    expect(lines(desired.warnings)).toEqual([
      '1:60 apps[0].env.X: NOPE is not set; `${NOPE}` is replaced by an empty string',
    ]);
  });

  test('a JS file is not interpolated (it has process.env)', async () => {
    const desired = await load(
      'eco.config.cjs',
      "module.exports = { apps: [{ name: 'api', script: 'app.js', env: { X: '${HOST}' } }] };",
    );
    expect(desired.apps[0]!.run.env.X).toBe('${HOST}');
  });
});
