import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { loadDesiredState } from '../../config/index.js';
import { plural } from '../../core/plural.js';
import { TendError } from '../../core/errors.js';
import {
  EXPORT_TARGETS,
  type ExportResult,
  type ExportTarget,
  exportDesired,
  formatLossyLines,
} from '../../export/index.js';
import { paths } from '../context.js';
import { splitList } from '../list-option.js';
import { terminalSafe } from '../output.js';
import { printWarnings } from './apply.js';

export interface ExportCommandOptions {
  env?: string;
  only?: string;
  output?: string;
  image?: string;
  strict?: boolean;
}

/**
 * `tend export TARGET FILE`: the file read and checked as `tend plan` reads it, turned into the target engine's files.
 * No daemon is contacted. Bad input, or with --strict a key the target cannot carry, writes nothing.
 */
export async function exportCommand(target: string, file: string, options: ExportCommandOptions): Promise<number> {
  if (!isTarget(target))
    throw new TendError('USAGE', `unknown export target "${target}": one of ${EXPORT_TARGETS.join(', ')}`);
  const absolute = resolve(file);
  const desired = await loadDesiredState(absolute, {
    home: paths().home,
    envName: options.env,
    only: splitList(options.only),
    baseEnv: { kind: 'clean' },
  });
  printWarnings(desired.warnings);
  const projectDir = desired.file === null ? dirname(absolute) : dirname(desired.file);
  const result = exportDesired(target, desired, {
    home: paths().home,
    project: desired.project ?? basename(projectDir),
    projectDir,
    sourceLabel: file,
    ...(options.image === undefined ? {} : { image: options.image }),
    defaultUser: userInfo().username,
  });
  if (options.strict && result.lossy.length > 0)
    throw new TendError(
      'EXPORT_LOSSY',
      `${plural(result.lossy.length, 'key')} cannot be carried to ${target} (--strict): nothing was written`,
      { problems: formatLossyLines(result.lossy).map((message) => ({ message })) },
    );
  if (options.output === undefined) process.stdout.write(joinedOutput(target, result));
  else for (const path of writeFiles(resolve(options.output), result)) process.stdout.write(`${path}\n`);
  printLossy(target, result);
  return 0;
}

function isTarget(value: string): value is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(value);
}

/** Every file on stdout: YAML documents joined by `---`, units each under a `==> name <==` line (as `tail` heads them). */
function joinedOutput(target: ExportTarget, result: ExportResult): string {
  if (target === 'systemd') return result.files.map((unit) => `# ==> ${unit.name} <==\n${unit.text}`).join('\n');
  return result.files.map((doc) => doc.text).join('---\n');
}

/** The files, in a folder made if needed; the paths written, in order. */
function writeFiles(dir: string, result: ExportResult): string[] {
  try {
    mkdirSync(dir, { recursive: true });
    return result.files.map((output) => {
      const path = join(dir, output.name);
      writeFileSync(path, output.text);
      return path;
    });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? 'a file of that name is in the way'
        : (error as Error).message;
    throw new TendError('USAGE', `cannot write the files into ${dir} (-o): ${reason}`, { cause: error });
  }
}

/** The lossy report on stderr, so stdout stays the files alone. */
function printLossy(target: ExportTarget, result: ExportResult): void {
  if (result.lossy.length === 0) return;
  const lines = formatLossyLines(result.lossy).map((line) => `  ${terminalSafe(line, false)}`);
  process.stderr.write(
    `not carried to ${target} (${plural(result.lossy.length, 'key')}, also noted in the output):\n${lines.join('\n')}\n`,
  );
}
