import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TendError } from '../core/errors.js';
import { stackPosition } from './stack-position.js';
import { textLocator } from './text-locator.js';
import type { Source } from './source.js';

let generation = 0;

/**
 * Evaluates a JavaScript ecosystem file. Accepts `module.exports = {...}`, `export default {...}` and
 * `export const apps = [...]` (PM2 itself cannot read the last two from ESM files). Each call reads the
 * file afresh so an edited file is seen by a long-running daemon; only the file itself is re-read,
 * not modules it imports. ESM files stay in memory once imported (Node cannot unload them).
 */
export async function readJs(file: string, absoluteFile: string): Promise<Source> {
  const text = await readFile(absoluteFile, 'utf8');
  let exported: unknown;
  try {
    exported = isEsm(absoluteFile) ? await importFresh(absoluteFile) : requireFresh(absoluteFile);
  } catch (error) {
    const position = stackPosition(file, absoluteFile, error);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new TendError('CONFIG_LOAD', `${file} could not be loaded`, {
      problems: [{ message: reason, ...(position ? { position } : {}) }],
      cause: error,
    });
  }
  const data = withoutUndefined(unwrapExports(exported));
  return { file, absoluteFile, data, locator: textLocator(text, file, data) };
}

function isEsm(absoluteFile: string): boolean {
  const ext = extname(absoluteFile);
  if (ext === '.mjs') return true;
  if (ext === '.cjs') return false;
  return nearestPackageType(dirname(absoluteFile)) === 'module';
}

/** Node's rule for `.js`: the `type` of the nearest package.json decides between ESM and CommonJS. */
function nearestPackageType(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function importFresh(absoluteFile: string): Promise<unknown> {
  const url = pathToFileURL(absoluteFile);
  // A new query string is a new module to Node's ESM cache, so an edited file is evaluated again.
  url.search = `?tend=${Date.now()}-${++generation}`;
  return (await import(url.href)) as unknown;
}

function requireFresh(absoluteFile: string): unknown {
  const require = createRequire(absoluteFile);
  delete require.cache[require.resolve(absoluteFile)];
  return require(absoluteFile) as unknown;
}

/** The ecosystem object from whatever shape of module the file is. */
function unwrapExports(exported: unknown): unknown {
  if (exported === null || typeof exported !== 'object') return exported;
  const module = exported as Record<string, unknown>;
  const isNamespace = Object.prototype.toString.call(exported) === '[object Module]';
  if ((isNamespace || module.__esModule === true) && 'default' in module && module.default !== undefined) {
    return module.default;
  }
  if (isNamespace) {
    // `export const apps = [...]` (and PM2's `pm2` alias, plus `deploy` if present).
    const picked: Record<string, unknown> = {};
    for (const key of ['apps', 'pm2', 'deploy', 'static']) if (module[key] !== undefined) picked[key] = module[key];
    return picked;
  }
  return exported;
}

/** JavaScript values as JSON would see them: `undefined` properties are absent. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = withoutUndefined(inner);
  return out;
}
