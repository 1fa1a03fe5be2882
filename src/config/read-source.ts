import { stat, readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import { readJs } from './read-js.js';
import { readJson } from './read-json.js';
import { readYaml } from './read-yaml.js';
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
    throw new TendError('CONFIG_LOAD', `${file}: unknown ecosystem file format; use .yml, .yaml, .json, .json5, .js, .cjs or .mjs`);
  }
  if (format === 'js') return readJs(file, absoluteFile);
  const text = await readFile(absoluteFile, 'utf8');
  return format === 'yaml' ? readYaml(text, file, absoluteFile) : readJson(text, file, absoluteFile);
}
