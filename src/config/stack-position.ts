import { pathToFileURL } from 'node:url';
import type { SourcePosition } from '../core/errors.js';

/**
 * Where in the user's file an error thrown while evaluating it happened, read from its stack:
 * `/abs/file.js:3:9` for runtime errors, `/abs/file.js:3` plus a `^^^` line for syntax errors.
 */
export function stackPosition(file: string, absoluteFile: string, error: unknown): SourcePosition | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  for (const name of [pathToFileURL(absoluteFile).href, absoluteFile]) {
    const at = stack.indexOf(`${name}:`);
    if (at === -1) continue;
    const rest = stack.slice(at + name.length);
    const match = /^:(\d+)(?::(\d+))?/.exec(rest);
    if (!match) continue;
    const line = Number(match[1]);
    if (match[2] !== undefined) return { file, line, column: Number(match[2]) };
    const caret = /^[^\n]*\n[^\n]*\n( *)\^/.exec(rest);
    return { file, line, column: caret ? (caret[1]?.length ?? 0) + 1 : 1 };
  }
  return undefined;
}
