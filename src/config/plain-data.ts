import { TendError } from '../core/errors.js';
import { formatPath, type PathSegment } from './key-path.js';

/**
 * What a JS config exported, as plain data, checked on the way: a getter that throws and an object that contains itself
 * are errors naming the file and the key (before, they surfaced as a bare "getter boom" or "Maximum call stack size
 * exceeded"). Objects shared by two keys are fine; only a reference back to an enclosing object is a cycle.
 */
export function toPlainData(file: string, value: unknown): unknown {
  return copy(file, value, [], []);
}

function copy(
  file: string,
  value: unknown,
  path: PathSegment[],
  ancestors: Array<{ node: object; at: number }>,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  const cycle = ancestors.find((a) => a.node === value);
  if (cycle) {
    const where = formatPath(path) || 'the export';
    const target = formatPath(path.slice(0, cycle.at)) || 'the whole export';
    throw new TendError('CONFIG_INVALID', `${file}: ${where} refers back to ${target} (a cycle cannot be a setting)`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) || prototype === Object.prototype || prototype === null;
  // Dates, Maps, class instances: left to the validator, which says what it expected there.
  if (!plain) return value;
  const inner = [...ancestors, { node: value, at: path.length }];
  if (Array.isArray(value)) return value.map((item, i) => copy(file, item, [...path, i], inner));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TendError('CONFIG_LOAD', `${file}: reading ${formatPath([...path, key])} failed: ${reason}`, {
        cause: error,
      });
    }
    out[key] = copy(file, item, [...path, key], inner);
  }
  return out;
}
