// dist/file-verbs.cjs: `tend apply FILE` and `tend plan FILE`, as one CommonJS file the `tend` entry requires. The same
// commands commander runs (commands/apply.ts), without commander, Node's ES module loader and the chunk hops: 18 ms
// less before the daemon hears of the file (59.5 → 41.2 ms for a 50-app `plan` here), which is the start of every app
// the file names. The yaml package stays in dist/lazy/yaml.cjs until a YAML or JSON file needs it (V8 compiles the
// whole file it is given: 453 → 191 KB, 4 ms). Any option sends the call through commander (fast/file-args.ts).
import { applyCommand, planCommand } from '../commands/apply.js';
import { setEntryDir } from '../context.js';
import { reportError } from '../report-error.js';
import type { FileVerb } from './file-args.js';

export async function runFileVerb(verb: FileVerb, file: string, distDir: string): Promise<number> {
  setEntryDir(distDir);
  try {
    return verb === 'apply' ? await applyCommand(file, {}) : await planCommand(file, {});
  } catch (err) {
    return reportError(err, false);
  }
}
