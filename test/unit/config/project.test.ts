import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { isTendError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-project-'));
function file(text: string): string {
  const path = join(dir, `eco-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, text);
  return path;
}
const load = (path: string) => loadDesiredState(path, { home: dir, baseEnv: { kind: 'clean' } });

describe('the top-level project: key', () => {
  it('names the owner of the file’s apps', async () => {
    const desired = await load(file('project: billing-api\napps:\n  - name: a\n    script: /bin/true\n'));
    expect(desired.project).toBe('billing-api');
  });

  it('is absent when the file sets none', async () => {
    expect((await load(file('apps:\n  - name: a\n    script: /bin/true\n'))).project).toBeUndefined();
  });

  it.each([
    ['project: "has space"', /project `has space` is not a name/],
    ['project: [a]', /project must be a name \(a string\); got/],
  ])('%s is refused at its line and column', async (line, message) => {
    const path = file(`apps:\n  - name: a\n    script: /bin/true\n${line}\n`);
    const error = await load(path).catch((err: unknown) => err);
    expect(isTendError(error)).toBe(true);
    const text = isTendError(error) ? error.describe() : '';
    expect(text).toContain(`${path}:4:10 project`);
    expect(text).toMatch(message);
  });
});
