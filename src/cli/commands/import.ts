import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadDesiredState } from '../../config/index.js';
import { isTendError, TendError } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import { paths } from '../context.js';
import { paint, useColor } from '../output.js';
import { importPm2Dump, isPm2Dump, type DroppedKey, type ImportResult } from '../pm2-import.js';
import { applyCommand } from './apply.js';

interface ImportOptions {
  output?: string;
  force?: boolean;
  apply?: boolean;
}

/** The ecosystem file `tend import` writes when not told where: the name `tend start` with no file looks for. */
const DEFAULT_OUTPUT = 'ecosystem.yml';

/**
 * `tend import [PM2_HOME | dump.pm2]`: PM2's dump (what `pm2 save` wrote) as an ecosystem file, every PM2 key either
 * mapped or listed as left out with its reason; `--apply` applies the file. The file is checked as `tend plan` would.
 */
export async function importCommand(source: string | undefined, options: ImportOptions): Promise<number> {
  const { file, pm2Home, entries, fallback } = readPm2Dump(source);
  if (fallback) process.stderr.write(`tend: warning: ${fallback}\n`);
  const result = importPm2Dump(entries, { pm2Home });
  const output = options.output ?? DEFAULT_OUTPUT;
  const text = renderImport(result, file, entries.length);
  if (output === '-') {
    process.stdout.write(text);
    return 0;
  }
  const target = resolve(output);
  if (existsSync(target) && !options.force)
    throw new TendError(
      'USAGE',
      `${output} exists; nothing was written. Give another file with -o, or --force to replace it`,
    );
  // It may hold secrets (PM2's dump has every app's env in clear): readable by its owner only.
  writeFileSync(target, text, { mode: 0o600 });
  const color = useColor();
  const counts = result.apps.map((a) => `${a.name}${typeof a.instances === 'number' ? ` ×${a.instances}` : ''}`);
  process.stdout.write(
    `wrote ${output}: ${plural(result.apps.length, 'app')} (${counts.join(', ')}) from ${file}\n${explain(result)
      .map((line) => `  ${line}\n`)
      .join('')}`,
  );
  // The file must be one `tend plan` and `tend apply` take: checked here, with the same rules, before anyone relies on it.
  try {
    await loadDesiredState(target, { home: paths().home, baseEnv: { kind: 'clean' } });
  } catch (err) {
    if (!isTendError(err)) throw err;
    process.stderr.write(
      `${paint('✗', 'red', color)} ${output} does not pass \`tend plan\` as written; fix it before applying:\n${err.describe()}\n`,
    );
    return 1;
  }
  if (!options.apply) {
    process.stdout.write(`next: tend plan ${output}   then   tend apply ${output}\n`);
    return 0;
  }
  return applyCommand(target, {});
}

/** Where the dump is: a file given, `<dir>/dump.pm2` for a folder given, else `$PM2_HOME` or `~/.pm2`. */
function locateDump(source: string | undefined): { file: string; pm2Home: string } {
  const given =
    source ?? (process.env.PM2_HOME && process.env.PM2_HOME !== '' ? process.env.PM2_HOME : join(homedir(), '.pm2'));
  const path = resolve(given);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new TendError(
      'CONFIG_NOT_FOUND',
      `${given} does not exist; give PM2's home (default ~/.pm2, or $PM2_HOME) or its dump.pm2`,
    );
  }
  return isDir ? { file: join(path, 'dump.pm2'), pm2Home: path } : { file: path, pm2Home: dirname(path) };
}

/** Parses one dump file; the reason it cannot be used, or its entries. */
function parseDump(file: string): { entries: Record<string, unknown>[] } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { problem: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problem: `${file} is not valid JSON (${text.length === 0 ? 'it is empty' : (err as Error).message})` };
  }
  if (!isPm2Dump(data)) return { problem: `${file} is not a PM2 dump (a JSON list of processes, each with a name)` };
  return { entries: data };
}

/** Reads PM2's dump, or its backup (`dump.pm2.bak`, the dump before the last `pm2 save`) when the dump is damaged. */
export function readPm2Dump(source: string | undefined): {
  file: string;
  pm2Home: string;
  entries: Record<string, unknown>[];
  fallback: string | null;
} {
  const { file, pm2Home } = locateDump(source);
  if (!existsSync(file))
    throw new TendError('CONFIG_NOT_FOUND', `there is no PM2 dump at ${file}; run \`pm2 save\` first`);
  const main = parseDump(file);
  if ('entries' in main) return { file, pm2Home, entries: main.entries, fallback: null };
  const backup = `${file}.bak`;
  const previous = existsSync(backup) ? parseDump(backup) : { problem: `there is no ${backup}` };
  if ('entries' in previous)
    return {
      file: backup,
      pm2Home,
      entries: previous.entries,
      fallback: `${main.problem}; read PM2's previous dump ${backup} instead (PM2's own files are left as they are)`,
    };
  throw new TendError('CONFIG_SYNTAX', `${main.problem}, and ${previous.problem}`);
}

/** What a person should know about the file, and what was left out, grouped by reason, in lines. */
export function explain(result: ImportResult): string[] {
  const all = result.apps.length;
  const byReason = new Map<string, DroppedKey[]>();
  for (const d of result.dropped) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d]);
  const lines = result.notes.map((note) => `note: ${note}`);
  for (const [reason, keys] of byReason) {
    const apps = [...new Set(keys.flatMap((k) => k.apps))];
    const which = apps.length === all && all > 1 ? 'every app' : apps.join(', ');
    lines.push(`left out from ${which}: ${keys.map((k) => k.key).join(', ')} (${reason})`);
  }
  return lines;
}

/** The ecosystem file: a header saying where it came from and what was left out, then the apps. */
export function renderImport(result: ImportResult, file: string, processes: number): string {
  const header = [
    `Written by \`tend import\` from ${relativeOrAbsolute(file)} (${plural(result.apps.length, 'app')}, ${processes} process${processes === 1 ? '' : 'es'} as PM2 saved them).`,
    'Check it with `tend plan <this file>`, then `tend apply <this file>`.',
    '`env` is the environment PM2 gave each app, so it holds the shell environment of whoever ran `pm2 start` too:',
    "tend applies exactly this file's env (not the caller's shell), so keep what the apps need. It may hold secrets.",
    '',
    ...explain(result),
  ];
  return `${header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n')}\n${stringify({ apps: result.apps }, { lineWidth: 0 })}`;
}

function relativeOrAbsolute(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
