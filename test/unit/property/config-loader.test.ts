import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { appKeys } from '../../../src/config/keys.js';
import { nameProblem } from '../../../src/config/app-name.js';
import { desiredFromApps, loadDesiredState, type LoadOptions } from '../../../src/config/index.js';
import type { DesiredState } from '../../../src/config/types.js';
import { isTendError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-prop-config-'));
writeFileSync(join(dir, 'app.js'), 'setInterval(() => {}, 1000);\n');
writeFileSync(join(dir, 'worker.py'), 'print(1)\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const realKeys = Object.entries(appKeys).flatMap(([key, info]) => [key, ...info.aliases]);

/** Keys a user might write: real ones, aliases, typos of them, env overlays, and plain junk. */
const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...realKeys) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...realKeys).chain((k) => fc.nat(k.length).map((i) => k.slice(0, i) + k.slice(i + 1))),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('env_production', 'env_', 'x-defaults', '__proto__', 'constructor', 'toString', ''),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Values near the valid ones (durations, sizes, "max", paths, signals) and of every wrong type. */
const scalarArb = fc.oneof(
  fc.constantFrom(
    'app.js',
    './app.js',
    'worker.py',
    'node',
    'none',
    'max',
    '-1',
    '0',
    '4',
    'lots',
    '10s',
    '500ms',
    '1h',
    '150M',
    '2G',
    'x1',
    'SIGTERM',
    'SIGNOPE',
    'fork',
    'cluster',
    'cluster_mode',
    '/dev/null',
    '../x',
    'a/b',
    'a\0b',
    '.hidden',
    '..',
    ' ',
    '',
    '$(touch /tmp/x)',
    'a;b',
    'true',
    'NaN',
    '1e400',
    'PORT',
    'logs/out.log',
  ),
  fc.integer({ min: -5, max: 70_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const valueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(keyArb, fc.constantFrom('PORT', 'API_KEY', 'NODE_ENV')), tie('value'), { maxKeys: 4 }),
})).value;

/** An app object: mostly real keys (so the checks past the schema run too), values right or wrong. */
const appArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .dictionary(keyArb, fc.oneof({ weight: 3, arbitrary: scalarArb }, { weight: 1, arbitrary: valueArb }), {
        maxKeys: 8,
      })
      .map((app) => ({ script: 'app.js', ...app })),
  },
  { weight: 1, arbitrary: valueArb },
);

/** A whole file: `apps:` with a list, a bare list, one app, `pm2:`, or any value at all. */
const documentArb = fc.oneof(
  fc.record({ apps: fc.array(appArb, { maxLength: 4 }) }),
  fc.array(appArb, { maxLength: 3 }),
  appArb,
  fc.record({ pm2: valueArb, deploy: valueArb }, { requiredKeys: [] }),
  fc.dictionary(keyArb, valueArb, { maxKeys: 3 }),
  valueArb,
);

const optionsArb: fc.Arbitrary<LoadOptions> = fc.record({
  home: fc.constant(join(dir, 'home')),
  envName: fc.option(fc.constantFrom('production', 'nope', ''), { nil: undefined }),
  only: fc.option(fc.array(fc.constantFrom('app', 'worker', 'x', 'a,b', ''), { maxLength: 2 }), { nil: undefined }),
  baseEnv: fc.constantFrom(
    { kind: 'clean' as const },
    { kind: 'shell' as const, vars: { PATH: '/usr/bin:/bin', HOME: '/root' } },
  ),
  cpus: fc.integer({ min: 1, max: 8 }),
  cwd: fc.constant(dir),
});

/** Hostile or broken YAML text: anchors and aliases (billion laughs), tags, tabs, merges, junk bytes. */
const yamlTextArb = fc
  .array(
    fc.constantFrom(
      'apps:\n',
      '  - ',
      'name: a\n',
      'script: app.js\n',
      '&a ',
      '*a ',
      '*b ',
      '<<: *a\n',
      '[*a, *a, *a, *a, *a, *a, *a, *a, *a]\n',
      '!!binary ',
      '!!js/function "x"\n',
      '!!set ',
      '? ',
      '\t',
      '{',
      '}',
      '[',
      ']',
      ':',
      '"',
      "'",
      '\n',
      '---\n',
      '...\n',
      '%YAML 1.1\n',
      '#',
      '\u0000',
      '\uFEFF',
      'é',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

let fileCount = 0;
function tempFile(ext: string, text: string): string {
  const file = join(dir, `eco-${fileCount++}.${ext}`);
  writeFileSync(file, text);
  return file;
}

/** What every load must end with: a desired state whose names are safe, or one of the typed config errors. */
function expectTypedOutcome(run: () => DesiredState): void {
  let desired: DesiredState;
  try {
    desired = run();
  } catch (err) {
    if (!isTendError(err)) throw err;
    expect(err.code).toMatch(/^(CONFIG_(NOT_FOUND|SYNTAX|INVALID|LOAD)|UNKNOWN_APP)$/);
    expect(err.message.length).toBeGreaterThan(0);
    return;
  }
  for (const app of desired.apps) {
    expect(nameProblem(app.name)).toBeUndefined();
    expect(app.instances).toBeGreaterThanOrEqual(1);
  }
}

async function expectTypedOutcomeAsync(run: () => Promise<DesiredState>): Promise<void> {
  let result: { ok: DesiredState } | { err: unknown };
  try {
    result = { ok: await run() };
  } catch (err) {
    result = { err };
  }
  expectTypedOutcome(() => {
    if ('err' in result) throw result.err;
    return result.ok;
  });
}

describe('the config loader on random input (property)', () => {
  it('apps from CLI flags: a desired state or a typed config error, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(appArb, { maxLength: 3 }), optionsArb, async (apps, options) => {
        await expectTypedOutcomeAsync(() => desiredFromApps(apps, { ...options, origin: 'command line' }));
      }),
      { numRuns: 1500 },
    );
  });

  it('JSON and YAML files of random documents: a desired state or a typed config error', async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, optionsArb, fc.constantFrom('json', 'yml'), async (doc, options, ext) => {
        const text = ext === 'json' ? (JSON.stringify(doc) ?? 'null') : stringify(doc);
        await expectTypedOutcomeAsync(() => loadDesiredState(tempFile(ext, text), options));
      }),
      { numRuns: 600 },
    );
  });

  it('broken and hostile YAML text: a typed config error or a desired state, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(yamlTextArb, optionsArb, async (text, options) => {
        await expectTypedOutcomeAsync(() => loadDesiredState(tempFile('yaml', text), options));
      }),
      { numRuns: 600 },
    );
  });

  it('a YAML alias bomb is refused with a typed error, quickly', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = Date.now();
    await expectTypedOutcomeAsync(() =>
      loadDesiredState(tempFile('yml', `${levels.join('\n')}\napps: [*i]\n`), {
        home: dir,
        baseEnv: { kind: 'clean' },
        cwd: dir,
      }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('JSON nested 100,000 deep is refused with a typed error', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    await expectTypedOutcomeAsync(() =>
      loadDesiredState(tempFile('json', `{"apps": ${deep}}`), { home: dir, baseEnv: { kind: 'clean' }, cwd: dir }),
    );
  });
});
