import { runInNewContext } from 'node:vm';
import { LineCounter, parseDocument } from 'yaml';
import { TendError, type SourcePosition } from '../core/errors.js';
import { stackPosition } from './stack-position.js';
import { textLocator } from './text-locator.js';
import { refuseUncountedKeys } from './map-keys.js';
import { yamlLocator } from './yaml-locator.js';
import type { Source } from './source.js';

/**
 * Parses a JSON (or JSON5) ecosystem file. Strict JSON first; then, as PM2 evaluates these files as a
 * JavaScript expression, comments, trailing commas and unquoted keys are accepted the same way.
 * Positions come from the yaml package's parse of the same text (JSON is YAML).
 */
export function readJson(text: string, file: string, absoluteFile: string): Source {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (jsonError) {
    try {
      const evaluated: unknown = runInNewContext(`(${text}\n)`, Object.create(null), {
        filename: absoluteFile,
        timeout: 1000,
      });
      // Plain data of this realm, as JSON.parse would give (the context's objects have other prototypes).
      data = JSON.parse(JSON.stringify(evaluated) ?? 'null');
    } catch (evalError) {
      throw syntaxError(text, file, absoluteFile, jsonError as Error, evalError);
    }
    return { file, absoluteFile, data, locator: textLocator(text, file, data) };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  // JSON.parse keeps the last of two equal keys without a word: a setting the user believes in would be dropped.
  if (doc.errors.length === 0) refuseUncountedKeys(doc, lineCounter, file);
  const locator = doc.errors.length === 0 ? yamlLocator(doc, lineCounter, file) : textLocator(text, file, data);
  return { file, absoluteFile, data, locator };
}

function syntaxError(
  text: string,
  file: string,
  absoluteFile: string,
  jsonError: Error,
  evalError: unknown,
): TendError {
  const message = jsonError.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, "[\s\S]*" is not valid JSON$/, '');
  const position = jsonPosition(text, file, jsonError) ?? evalPosition(file, absoluteFile, evalError);
  return new TendError('CONFIG_SYNTAX', `${file} is not valid JSON`, {
    problems: [{ message, ...(position ? { position } : {}) }],
    cause: jsonError,
  });
}

function jsonPosition(text: string, file: string, error: Error): SourcePosition | undefined {
  const match = / at position (\d+)/.exec(error.message);
  if (!match) return undefined;
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** A runtime error (e.g. `tru` is not defined) carries the position in its stack; line 1 has our `(` in front. */
function evalPosition(file: string, absoluteFile: string, error: unknown): SourcePosition | undefined {
  const position = stackPosition(file, absoluteFile, error);
  if (position?.line === 1 && position.column > 1) return { ...position, column: position.column - 1 };
  return position;
}
