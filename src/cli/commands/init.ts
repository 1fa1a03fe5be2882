import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { desiredFromApps } from '../../config/index.js';
import { TendError } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import { paths, withDaemon } from '../context.js';
import { splitList } from '../list-option.js';
import { entryForApp } from '../init/from-running.js';
import { planReader } from '../init/read-entry.js';
import { renderRunningApps } from '../init/render.js';
import { ecosystemTemplate } from '../init/template.js';

export interface InitOptions {
  output?: string;
  force?: boolean;
  fromRunning?: boolean;
  only?: string;
  /** false with `--no-shell-env`. */
  shellEnv?: boolean;
}

const DEFAULT_FILE = 'ecosystem.yml';

/** Scripts `tend init` looks for when none is named, after package.json's `main`. */
const LIKELY_SCRIPTS = [
  'server.js',
  'app.js',
  'index.js',
  'main.js',
  'src/index.js',
  'dist/index.js',
  'app.py',
  'main.py',
];

/** `tend init [script]` writes a starting ecosystem.yml; `--from-running` writes the apps that run now. */
export async function initCommand(script: string | undefined, options: InitOptions): Promise<number> {
  const output = options.output ?? DEFAULT_FILE;
  const toStdout = output === '-';
  const file = resolve(toStdout ? DEFAULT_FILE : output);
  if (!toStdout && existsSync(file) && !options.force)
    throw new TendError('USAGE', `${output} exists already; --force overwrites it (or -o another file)`);
  const schema = schemaReference(dirname(file));
  const shown = toStdout ? DEFAULT_FILE : output;
  if (options.fromRunning) {
    if (script !== undefined) throw new TendError('USAGE', '--from-running writes the running apps: name no script');
    return fromRunning(file, shown, schema, options, toStdout);
  }
  if (options.only !== undefined) throw new TendError('USAGE', '--only chooses among running apps: add --from-running');
  const app = await templateApp(script, dirname(file));
  const text = ecosystemTemplate({ schema, name: app.name, script: app.script, file: shown });
  if (toStdout) process.stdout.write(text);
  else {
    writeFileSync(file, text);
    process.stdout.write(
      `wrote ${output} with one app, ${app.name} (${app.script}): \`tend plan ${output}\` shows what \`tend apply ${output}\` would do\n`,
    );
  }
  return 0;
}

async function fromRunning(
  file: string,
  shown: string,
  schema: string,
  options: InitOptions,
  toStdout: boolean,
): Promise<number> {
  const names = splitList(options.only);
  let specs;
  try {
    specs = await withDaemon((client) => client.call('specs', names ? { names } : undefined), { start: false });
  } catch (err) {
    if ((err as { code?: string }).code !== 'DAEMON_UNREACHABLE') throw err;
    throw new TendError('DAEMON_UNREACHABLE', `no tend daemon runs in ${paths().home}, so no app runs to write down`);
  }
  const unknown = (names ?? []).filter((name) => !specs.some((s) => s.spec.name === name));
  if (unknown.length > 0)
    throw new TendError('UNKNOWN_APP', `--only: no app named ${unknown.map((n) => `\`${n}\``).join(', ')} runs`);
  if (specs.length === 0)
    throw new TendError('USAGE', 'tend runs no app: start some first, or run `tend init` for a file to fill in');
  const normalise = planReader(dirname(file), paths().home);
  const apps = [];
  const shellEnv = options.shellEnv !== false;
  for (const { spec, running } of specs)
    apps.push(await entryForApp({ spec, stopped: !running }, dirname(file), normalise, { shellEnv }));
  const text = renderRunningApps(apps, { schema, file: shown });
  if (toStdout) {
    process.stdout.write(text);
  } else {
    // The apps' environment can hold secrets: the file is the user's alone until they decide otherwise.
    writeFileSync(file, text, { mode: 0o600 });
    process.stdout.write(
      `wrote ${shown} with ${plural(apps.length, 'app')}: \`tend plan ${shown} --take-over\` compares it with what runs, \`tend apply ${shown} --take-over\` makes this file their owner\n`,
    );
  }
  const say = (line: string): boolean => process.stderr.write(`${line}\n`);
  for (const app of apps) {
    const name = String(app.entry.name);
    if (app.shellEnv.length > 0)
      say(
        `note: ${name}: ${plural(app.shellEnv.length, 'variable')} of its env came from the shell of \`tend start\` (marked in the file): keep what it needs`,
      );
    if (app.differences.length === 0) continue;
    const shown = app.differences.slice(0, 4).map((d) => `${d.field} ${describe(d.from)} → ${describe(d.to)}`);
    const more = app.differences.length > 4 ? ` and ${app.differences.length - 4} more` : '';
    say(`note: ${name}: \`tend plan\` will show ${shown.join(', ')}${more}`);
  }
  return 0;
}

function describe(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

/** The script named, or the project's own (package.json `main`, then a usual name), checked as `tend plan` will. */
async function templateApp(script: string | undefined, baseDir: string): Promise<{ name: string; script: string }> {
  const pkg = readPackage(baseDir);
  const found =
    script ??
    [pkg.main, ...LIKELY_SCRIPTS].find(
      (candidate): candidate is string => typeof candidate === 'string' && existsSync(join(baseDir, candidate)),
    );
  if (found === undefined)
    throw new TendError(
      'USAGE',
      `no script to start found in ${baseDir} (package.json main, ${LIKELY_SCRIPTS.join(', ')}); name it: tend init server.js`,
    );
  const relativeScript = isAbsolute(found) ? relativeInside(baseDir, found) : found;
  const name = appName(pkg.name, relativeScript);
  try {
    await desiredFromApps([{ name, script: relativeScript }], {
      home: paths().home,
      baseEnv: { kind: 'clean' },
      cwd: baseDir,
      origin: 'the new file',
    });
  } catch (err) {
    const message = err instanceof TendError ? err.describe() : String(err);
    throw new TendError('USAGE', `nothing written: ${message}`);
  }
  return { name, script: relativeScript };
}

function readPackage(dir: string): { name?: unknown; main?: unknown } {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; main?: unknown };
  } catch {
    return {};
  }
}

/** package.json's name without its scope, else the script's file name without extension. */
function appName(packageName: unknown, script: string): string {
  const fromPackage = typeof packageName === 'string' ? packageName.replace(/^@[^/]+\//, '') : '';
  const name = fromPackage !== '' ? fromPackage : basename(script, extname(script));
  return name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '') || 'app';
}

function relativeInside(base: string, path: string): string {
  const inside = relative(base, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/**
 * This installation's schema (schemas/ beside dist/): relative to the file when it lies below the file's folder
 * (`node_modules/tend/…`, so the line holds on other machines), absolute otherwise.
 */
function schemaReference(fileDir: string): string {
  const distDir = dirname(realpathSync(process.argv[1] ?? '.'));
  const schema = resolve(distDir, '..', 'schemas', 'ecosystem.schema.json');
  if (!existsSync(schema))
    process.stderr.write(
      `warning: the schema line names ${schema}, which is not there (a build outside the package?)\n`,
    );
  const inside = relative(fileDir, schema);
  return inside.startsWith('..') || isAbsolute(inside) ? schema : `./${inside.split(sep).join('/')}`;
}
