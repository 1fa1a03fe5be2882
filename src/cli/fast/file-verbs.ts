// dist/file-verbs.cjs: `tend apply FILE` and `tend plan FILE`, as one CommonJS file the `tend` entry requires. The same
// commands commander runs (commands/apply.ts), without commander, Node's ES module loader and the chunk hops: about
// 15 ms less before the daemon hears of the file (59 → 44 ms for a 50-app `plan` here), which is the start of every
// app the file names. Any option sends the call through commander instead (fast/file-args.ts).
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
