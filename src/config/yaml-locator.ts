import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { SourcePosition } from '../core/errors.js';
import type { PathSegment } from './key-path.js';
import type { Locator } from './locator.js';

interface Ranged {
  range?: [number, number, number] | null;
}

/** Answers positions from the parsed YAML (or JSON) document; a key reached through `<<: *anchor` points into the anchor. */
export function yamlLocator(doc: Document, lineCounter: LineCounter, file: string): Locator {
  const toPosition = (node: unknown): SourcePosition | undefined => {
    const range = (node as Ranged | null | undefined)?.range;
    if (!range) return undefined;
    const { line, col } = lineCounter.linePos(range[0]);
    return { file, line, column: col };
  };

  return {
    find(path: readonly PathSegment[], at: 'key' | 'value'): SourcePosition | undefined {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      let nearest: unknown = node;
      for (const segment of path) {
        const step = child(doc, node, segment);
        if (!step) return toPosition(nearest);
        node = step.value;
        keyNode = step.key;
        nearest = step.value ?? step.key ?? nearest;
      }
      if (at === 'key' && keyNode) return toPosition(keyNode);
      return toPosition(node ?? keyNode) ?? toPosition(nearest);
    },
  };
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function child(doc: Document, parent: unknown, segment: PathSegment): { key: unknown; value: unknown } | undefined {
  const node = resolve(doc, parent);
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === String(segment)) return { key: pair.key, value: pair.value };
  }
  // A key brought in by a YAML merge (`<<: *defaults`): report it where the anchor defines it, which is what to edit.
  for (const pair of node.items) {
    if (isScalar(pair.key) && (pair.key.source === '<<' || pair.key.value === '<<')) {
      const sources = resolve(doc, pair.value);
      const candidates = isSeq(sources) ? sources.items : [sources];
      for (const source of candidates) {
        const found = child(doc, source, segment);
        if (found) return found;
      }
    }
  }
  return undefined;
}
