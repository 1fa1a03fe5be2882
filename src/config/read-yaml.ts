import { LineCounter, parseDocument } from 'yaml';
import { TendError, type Problem } from '../core/errors.js';
import { refuseUncountedKeys } from './map-keys.js';
import { yamlLocator } from './yaml-locator.js';
import type { Source } from './source.js';

/** Parses a YAML ecosystem file, reporting every syntax error with its line and column. */
export function readYaml(text: string, file: string, absoluteFile: string): Source {
  const lineCounter = new LineCounter();
  // merge: YAML `<<: *defaults` keys, which js-yaml (PM2's parser) supports and users rely on.
  // uniqueKeys off: duplicates are found by refuseUncountedKeys in one pass (the package's check is quadratic in a map's size).
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((error) => {
      const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      return { message: cleanYamlMessage(error.message), position: { file, line: at.line, column: at.col } };
    });
    throw new TendError('CONFIG_SYNTAX', `${file} is not valid YAML`, { problems });
  }
  refuseUncountedKeys(doc, lineCounter, file);
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (cause) {
    // Well-formed YAML that cannot become data: a merge of a non-map, or an alias bomb (yaml caps alias expansion).
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TendError('CONFIG_SYNTAX', `${file} is not valid YAML`, { problems: [{ message }], cause });
  }
  return { file, absoluteFile, data, locator: yamlLocator(doc, lineCounter, file) };
}

/** yaml's messages end with ` at line 2, column 1:` and a code frame; the position is given separately. */
export function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, '');
}
