import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { FileHost } from './host.js';
import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import { resolvePath } from './script.js';

/**
 * `env_file`: one dotenv file or a list of them, relative to the ecosystem file's folder, read when the file is (so a
 * change to their content is a change in `tend plan`). A later file wins over an earlier one. Values are taken as
 * written (Node's `util.parseEnv`: quotes, `export`, comments; no `${VAR}` expansion inside them). A file that cannot
 * be read is a problem at its name. Undefined when the app has no `env_file`.
 */
export function readEnvFiles(
  value: unknown,
  at: PathSegment[],
  ctx: { baseDir: string; host: FileHost; report: Report },
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const files = Array.isArray(value) ? value : [value];
  const vars: Record<string, string> = {};
  files.forEach((file, index) => {
    if (typeof file !== 'string') return;
    const where = Array.isArray(value) ? [...at, index] : at;
    if (file.trim() === '') {
      ctx.report.problem(where, 'env_file is empty; give the path of a dotenv file');
      return;
    }
    const path = resolvePath(ctx.baseDir, file.trim());
    const kind = ctx.host.kind(path);
    if (kind !== 'file') {
      ctx.report.problem(where, kind === 'folder' ? `env_file is a folder: ${path}` : `env_file not found: ${path}`);
      return;
    }
    const text = (ctx.host.readText ?? readText)(path);
    if (text === undefined) {
      ctx.report.problem(where, `env_file cannot be read: ${path}`);
      return;
    }
    Object.assign(vars, parseEnv(text));
  });
  return vars;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
