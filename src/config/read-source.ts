import { stat, readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import { readJs } from './read-js.js';
import type { Source } from './source.js';

type Format = 'yaml' | 'json' | 'js';

/** Which reader a file name calls for; any name works as long as the extension says the format. */
export function formatOf(file: string): Format | undefined {
  const name = basename(file).toLowerCase();
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.json5?$/.test(name)) return 'json';
  if (/\.[cm]?js$/.test(name)) return 'js';
  return undefined;
}

/** Reads and parses an ecosystem file of any supported format. */
export async function readSource(file: string): Promise<Source> {
  const absoluteFile = resolve(file);
  const info = await stat(absoluteFile).catch(() => undefined);
  if (!info) throw new TendError('CONFIG_NOT_FOUND', `ecosystem file not found: ${file}`);
  if (!info.isFile()) throw new TendError('CONFIG_NOT_FOUND', `${file} is not a file`);
  const format = formatOf(absoluteFile);
  if (format === undefined) {
    throw new TendError(
      'CONFIG_LOAD',
      `${file}: unknown ecosystem file format; use .yml, .yaml, .json, .json5, .js, .cjs or .mjs`,
    );
  }
  const source = format === 'js' ? await readJs(file, absoluteFile) : await readText(format, file, absoluteFile);
  if (depthOf(source.data, MAX_DEPTH + 1) > MAX_DEPTH) {
    throw new TendError(
      'CONFIG_INVALID',
      `${file} is nested more than ${MAX_DEPTH} levels deep; an ecosystem file needs a handful`,
    );
  }
  return source;
}

/** Deeper data than any ecosystem needs would overflow the stack of the checks that walk it. */
const MAX_DEPTH = 64;

/** The yaml package (also behind the JSON reader, for positions) is most of the config code: a JS file never loads it. */
async function readText(format: 'yaml' | 'json', file: string, absoluteFile: string): Promise<Source> {
  const text = await readFile(absoluteFile, 'utf8');
  if (format === 'yaml') return (await import('./read-yaml.js')).readYaml(text, file, absoluteFile);
  return (await import('./read-json.js')).readJson(text, file, absoluteFile);
}

// Iterative, and stops at `limit`: the data may be deep enough to overflow a recursive walk. Only objects are stacked,
// with their depths beside them: a pair per value cost a 1,000-app plan 20 ms of its CPU.
function depthOf(data: unknown, limit: number): number {
  if (data === null || typeof data !== 'object') return 0;
  let deepest = 0;
  const objects: object[] = [data];
  const depths: number[] = [1];
  while (objects.length > 0) {
    const value = objects.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest >= limit) return deepest;
    for (const child of Object.values(value)) {
      if (child === null || typeof child !== 'object') continue;
      objects.push(child);
      depths.push(depth + 1);
    }
  }
  return deepest;
}
