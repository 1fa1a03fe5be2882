import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readSource } from '../../../src/config/read-source.js';

/** A file whose deepest value is `depth` levels down: the object, `apps`, the app, `env`, then nested mappings. */
function nestedTo(depth: number): string {
  let value: unknown = 'leaf';
  for (let level = 4; level < depth; level++) value = { a: value };
  return JSON.stringify({ apps: [{ name: 'a', script: 'a.js', env: { A: value } }] });
}

describe('readSource refuses data nested deeper than any ecosystem needs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tend-read-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test.each([
    ['ecosystem.json', 'JSON', (text: string) => text],
    ['ecosystem.config.js', 'JSON in `module.exports`', (text: string) => `module.exports = ${text};\n`],
    ['code.config.js', 'code', (text: string) => `// computed\nmodule.exports = ${text};\n`],
  ])('%s (%s): 64 levels load, 65 are refused', async (name, _kind, wrap) => {
    const file = join(dir, name);
    await writeFile(file, wrap(nestedTo(64)));
    await expect(readSource(file)).resolves.toMatchObject({ absoluteFile: file });
    await writeFile(file, wrap(nestedTo(65)));
    await expect(readSource(file)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: `${file} is nested more than 64 levels deep; an ecosystem file needs a handful`,
    });
  });
});
