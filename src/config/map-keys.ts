import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, visit } from 'yaml';
import { type Problem, TendError } from '../core/errors.js';
import { formatPath, type PathSegment } from './key-path.js';

/**
 * Keys a file gives that would silently not be what the user wrote: a key given twice in one mapping (the parsers keep
 * one of them, so a setting the user believes in is dropped) and `__proto__` (JavaScript makes it the object's
 * prototype, not a key). One pass over the document with a set per mapping: the yaml package's own duplicate check
 * compares each key with every earlier one, and an app with 80,000 env keys took 44 s to read with it.
 */
export function keyProblems(doc: Document, lineCounter: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (offset: number): Problem['position'] => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  visit(doc, {
    Map(_key, map, ancestors) {
      if (!isMap(map)) return;
      const where = pathOf([...ancestors, map]);
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || key.range === undefined || key.range === null) continue;
        const name = String(key.value);
        // YAML's merge key (`<<: *defaults`) may be given more than once by design.
        if (name === '<<') continue;
        if (name === '__proto__') {
          problems.push({
            path: formatPath([...where, name]),
            message: '`__proto__` cannot be a key: JavaScript would make it the prototype and drop what it holds',
            position: at(key.range[0]),
          });
          continue;
        }
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, key.range[0]);
          continue;
        }
        const earlier = lineCounter.linePos(first);
        problems.push({
          path: formatPath([...where, name]),
          message: `\`${name}\` is given twice in the same mapping (first at line ${earlier.line}, column ${earlier.col}); only one would count`,
          position: at(key.range[0]),
        });
      }
    },
  });
  // In the order of the file: a map's own keys are seen before those of the maps inside it.
  return problems.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

/** The key path of the last node of a chain of ancestors (`apps[0].env`), as messages name it. */
function pathOf(chain: readonly unknown[]): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const node = chain[i];
    if (isSeq(parent)) segments.push(parent.items.indexOf(node as never));
    else if (isPair(node) && isScalar(node.key)) segments.push(String(node.key.value));
  }
  return segments;
}

/** Throws CONFIG_INVALID with every key of `keyProblems`, in file order; YAML and JSON files are checked alike. */
export function refuseUncountedKeys(doc: Document, lineCounter: LineCounter, file: string): void {
  const problems = keyProblems(doc, lineCounter, file);
  if (problems.length === 0) return;
  const what = problems.length === 1 ? 'a key' : 'keys';
  throw new TendError('CONFIG_INVALID', `${file}: ${what} that would not count as written`, { problems });
}
