import type { SourcePosition } from '../core/errors.js';
import { valueAt, type PathSegment } from './key-path.js';
import type { Locator } from './locator.js';

/**
 * Best-effort positions for files evaluated as code (ecosystem.config.js), which have no syntax tree
 * we can map values back to: the key is searched for in the text, preferring the occurrence nearest
 * to the app's `name: '...'`. When the key is not found, no position is given and the message names the file.
 */
export function textLocator(text: string, file: string, data: unknown): Locator {
  // Found on the first position asked for: a file without a problem or a warning never needs them.
  let lineStarts: number[] | undefined;
  const toPosition = (offset: number): SourcePosition => {
    lineStarts ??= lineStartsOf(text);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };

  return {
    find(path: readonly PathSegment[], at: 'key' | 'value'): SourcePosition | undefined {
      const key = [...path].reverse().find((segment): segment is string => typeof segment === 'string');
      if (key === undefined) return undefined;
      const hits = keyOccurrences(text, key);
      if (hits.length === 0) return undefined;
      const anchor = appAnchor(text, data, path);
      let best = hits[0]!;
      for (const hit of hits) if (Math.abs(hit.start - anchor) < Math.abs(best.start - anchor)) best = hit;
      return toPosition(at === 'key' ? best.start : best.valueStart);
    },
  };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function keyOccurrences(text: string, key: string): { start: number; valueStart: number }[] {
  const pattern = new RegExp(`(?<![\\w$])(["'\`]?)${escapeRegExp(key)}\\1\\s*:\\s*`, 'g');
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, valueStart: m.index + m[0].length }));
}

/** Where the app that owns `path` is written: its `name: '...'`, else its n-th `script:`, else the file's start. */
function appAnchor(text: string, data: unknown, path: readonly PathSegment[]): number {
  let lastIndex = -1;
  path.forEach((segment, i) => {
    if (typeof segment === 'number') lastIndex = i;
  });
  if (lastIndex === -1) return 0;
  const app = valueAt(data, path.slice(0, lastIndex + 1));
  const name = (app as { name?: unknown } | undefined)?.name;
  if (typeof name === 'string') {
    const match = new RegExp(`(?<![\\w$])(["'\`]?)name\\1\\s*:\\s*(["'\`])${escapeRegExp(name)}\\2`).exec(text);
    if (match) return match.index;
  }
  const scripts = ['script', 'exec', 'cmd', 'command']
    .flatMap((key) => keyOccurrences(text, key))
    .sort((a, b) => a.start - b.start);
  return scripts[path[lastIndex] as number]?.start ?? 0;
}
