import { existsSync, statSync } from 'node:fs';
import { delimiter, extname, join, resolve } from 'node:path';
import type { ProcessView } from '../../api/methods.js';
import { desiredFromApps, isEcosystemFile } from '../../config/index.js';
import type { AppSpec } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import type { DaemonClient } from '../client.js';
import { paths, withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';
import { readStdinText } from '../stdin.js';
import { applyDesired, printWarnings, shellEnv } from './apply.js';
import { startFromFile } from './file-start.js';
import { changesSpec, restartWithOptions } from './restart-options.js';
import { appFromFlags, refuseNoDaemon, type ScriptKind, type StartOptions } from './start-flags.js';

/** Files PM2 looks for when `start` is given nothing. */
const DEFAULT_FILES = [
  'ecosystem.config.js',
  'ecosystem.config.cjs',
  'ecosystem.config.mjs',
  'ecosystem.yml',
  'ecosystem.yaml',
  'ecosystem.json',
];

/** What one word given to `tend start` stands for. */
type StartTarget =
  /** An app tend manages, by name, id or namespace (or `all`): PM2 restarts it, or starts it when stopped. */
  | { kind: 'app'; text: string }
  /** Something to run as a new app. */
  | { kind: 'script'; text: string; script: ScriptKind };

/**
 * `tend start`: PM2's one verb for everything. An ecosystem file (or `-`, apps on stdin) starts the apps that are
 * missing and restarts those that run; a name or id restarts that app, or starts it when stopped; scripts, command
 * lines and programs on PATH each become an app with the same flags.
 */
export async function startCommand(targets: string[], options: StartOptions, appArgs: string[]): Promise<number> {
  refuseNoDaemon(options);
  if (targets.length === 0) {
    const found = DEFAULT_FILES.find((f) => existsSync(f));
    if (!found)
      throw new TendError(
        'USAGE',
        `nothing to start: give a script, a command, an ecosystem file or an app name (no ${DEFAULT_FILES[0]} here)`,
      );
    targets = [found];
  }
  const files = targets.filter((t) => t === '-' || (isEcosystemFile(t) && existsSync(t)));
  if (files.length > 0) {
    const [file] = files;
    if (targets.length > 1 || file === undefined)
      throw new TendError('USAGE', `give one ecosystem file (or \`-\`), or scripts and apps; got ${targets.join(' ')}`);
    if (options.uid !== undefined || options.gid !== undefined)
      throw new TendError(
        'USAGE',
        '--uid/--gid set the user of a script started from the command line; for an ecosystem file, set `uid`/`gid` in the file',
      );
    const source = file === '-' ? { text: await readStdinText('start'), label: '<stdin>' } : { file };
    return startFromFile('start', source, options);
  }
  if (options.name !== undefined && targets.length > 1)
    throw new TendError('USAGE', `--name names one app, and ${targets.length} were given; start them one by one`);

  return withDaemon(async (client) => {
    const running = await client.call('list', undefined);
    const classified = targets.map((text) => classify(text, running));
    const scripts = classified.filter((t) => t.kind === 'script');
    const apps = classified.filter((t) => t.kind === 'app').map((t) => t.text);
    // Every new app is validated, and checked against what runs, before anything starts.
    const desired = await desiredFromApps(
      scripts.map((t) => appFromFlags(t.text, t.script, options, appArgs)),
      {
        home: paths().home,
        envName: options.env,
        baseEnv: { kind: 'shell', vars: shellEnv() },
        cwd: process.cwd(),
        origin: 'command line',
      },
    );
    printWarnings(desired.warnings);
    const fresh: AppSpec[] = [];
    const resume: string[] = [];
    const more: Array<{ app: string; count: number }> = [];
    for (const spec of desired.apps) {
      const same = running.filter((p) => p.name === spec.name);
      if (same.length === 0) fresh.push(spec);
      else if (!same.every((p) => p.script === spec.run.script))
        throw new TendError(
          'USAGE',
          `an app named \`${spec.name}\` already runs ${same[0]!.script}; give this one another name (--name); nothing was started`,
        );
      else if (options.force) more.push({ app: spec.name, count: spec.instances });
      else if (same.some((p) => p.status !== 'stopped' && p.status !== 'errored'))
        throw new TendError(
          'USAGE',
          `Script already launched, add -f option to force re-execution: ${spec.run.script} runs as \`${spec.name}\` (id ${same.map((p) => p.id).join(', ')}); \`tend start -f\` adds one more instance of it, \`tend restart ${spec.name}\` restarts it`,
        );
      // PM2 starts a stopped or errored app of that script again.
      else resume.push(spec.name);
    }
    let code = 0;
    if (fresh.length > 0)
      code = Math.max(
        code,
        await applyDesired({ ...desired, apps: fresh }, { onlyNames: fresh.map((a) => a.name) }, false),
      );
    for (const { app, count } of more) code = Math.max(code, await scaleUp(client, app, count));
    const again = [...apps, ...resume];
    if (again.length > 0) {
      if (changesSpec(options)) code = Math.max(code, await restartWithOptions('restart', again, options));
      else {
        const color = useColor();
        code = Math.max(
          code,
          reportResult(await callWithProgress(client, 'restart', { targets: again }, color), color),
        );
      }
    }
    return code;
  });
}

/** `tend start -f SCRIPT` of a script that runs: PM2 starts one more process of it; in tend, one more instance. */
async function scaleUp(client: DaemonClient, app: string, count: number): Promise<number> {
  const color = useColor();
  return reportResult(await callWithProgress(client, 'scale', { app, count: `+${count}` }, color), color);
}

/**
 * PM2's order: a word without a slash or an extension that names a running app (or a number that is an id) is that
 * app; then a file is a script; a line with spaces runs through the shell; a name found on PATH is a program.
 */
function classify(text: string, running: readonly ProcessView[]): StartTarget {
  const bare = !text.includes('/') && extname(text) === '';
  if (text === 'all' || (bare && running.some((p) => p.name === text || p.namespace === text || String(p.id) === text)))
    return { kind: 'app', text };
  if (isFile(text)) return { kind: 'script', text, script: 'file' };
  if (/\s/.test(text.trim())) return { kind: 'script', text, script: 'shell' };
  if (bare && onPath(text)) return { kind: 'script', text, script: 'command' };
  if (/^\d+$/.test(text)) throw new TendError('UNKNOWN_APP', `no process has id ${text}`);
  throw new TendError(
    'USAGE',
    `\`${text}\` is not an app tend runs, a file, nor a program on PATH; nothing was started`,
  );
}

function isFile(target: string): boolean {
  try {
    return statSync(resolve(target)).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isFile(join(dir, name)));
}
