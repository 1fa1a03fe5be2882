import { extname } from 'node:path';
import type { FileHost } from './host.js';
import type { ScriptTarget } from './script.js';

/** How to run a script: the program, its arguments before the script, and env vars the program needs. */
export interface Interpreter {
  interpreter: string | null;
  interpreterArgs: string[];
  /** Added to the app's base environment (lowest precedence). */
  baseEnv: Record<string, string>;
}

/** Interpreters by extension, as PM2's lib/API/interpreter.json; node scripts run on tend's own node. */
const byExtension: Record<string, string> = {
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
  '.coffee': 'coffee',
  '.ls': 'lsc',
};

const nodeExtensions = new Set(['.js', '.cjs', '.mjs']);
const typeScriptExtensions = new Set(['.ts', '.mts', '.cts']);

/** Node ≥ 22.6 runs TypeScript itself (type stripping); older ones need the app to depend on tsx. */
export function typeScriptArgs(nodeVersion: string): string[] {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 6) ? ['--experimental-strip-types'] : ['--import', 'tsx'];
}

/**
 * Chooses the interpreter for a script. An explicit `interpreter` wins ("none" runs the script itself);
 * otherwise the extension decides; an executable file with another extension runs directly; anything
 * else runs on node, as PM2 does. `nodePath` is tend's own node (process.execPath), so apps do not
 * depend on which node is first on PATH.
 */
export function chooseInterpreter(
  target: ScriptTarget,
  explicit: string | undefined,
  host: FileHost,
  nodePath: string,
  nodeVersion: string,
): Interpreter {
  const none: Interpreter = { interpreter: null, interpreterArgs: [], baseEnv: {} };
  if (explicit !== undefined) {
    if (explicit.trim() === 'none') return none;
    const python = /(^|\/)python[\d.]*$/.test(explicit.trim());
    return { interpreter: explicit.trim(), interpreterArgs: [], baseEnv: python ? { PYTHONUNBUFFERED: '1' } : {} };
  }
  if (target.kind === 'shell') return { interpreter: 'bash', interpreterArgs: ['-c'], baseEnv: {} };
  if (target.kind === 'missing') return none;
  const path = target.kind === 'file' ? target.path : target.found;
  const ext = extname(path).toLowerCase();
  if (nodeExtensions.has(ext)) return { interpreter: nodePath, interpreterArgs: [], baseEnv: {} };
  if (typeScriptExtensions.has(ext))
    return { interpreter: nodePath, interpreterArgs: typeScriptArgs(nodeVersion), baseEnv: {} };
  const program = byExtension[ext];
  if (program)
    return { interpreter: program, interpreterArgs: [], baseEnv: ext === '.py' ? { PYTHONUNBUFFERED: '1' } : {} };
  if (host.isExecutable(path)) return none;
  return { interpreter: nodePath, interpreterArgs: [], baseEnv: {} };
}
