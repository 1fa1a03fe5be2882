import { basename, relative } from 'node:path';
import type { AppSpec } from '../config/types.js';

/**
 * Variables of the machine that ran `tend export`, which tend's clean base puts in every app's environment: the
 * target engine sets its own (a container's PATH, the unit's user's HOME), so they are not exported.
 */
const HOST_VARIABLES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL']);

/** The environment the target should set: what the file, its env_file and --env gave, without this host's own. */
export function exportedEnv(app: AppSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(app.run.env)) {
    const source = app.envSources[name];
    if (source === 'user' || (source === 'base' && HOST_VARIABLES.has(name))) continue;
    env[name] = value;
  }
  return env;
}

/** The port the app listens on: its `PORT` (the `port` key sets it), when that is a port number. */
export function appPort(app: AppSpec): number | undefined {
  const text = app.run.env.PORT;
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/** Where the app's folder (the ecosystem file's) is inside a container: the image or a mount holds it there. */
export const CONTAINER_APP_DIR = '/app';

/** A path of this machine as the container sees it: under the project folder it moves to /app, else it stays. */
export function containerPath(path: string, projectDir: string): { path: string; inside: boolean } {
  const rel = relative(projectDir, path);
  if (rel === '') return { path: CONTAINER_APP_DIR, inside: true };
  if (rel.startsWith('..') || rel.startsWith('/')) return { path, inside: false };
  return { path: `${CONTAINER_APP_DIR}/${rel}`, inside: true };
}

/** An interpreter as a container names it: tend's own node (an absolute path here) is the image's `node`. */
function containerProgram(interpreter: string): string {
  const name = basename(interpreter);
  return /^node(\d+)?$/.test(name) ? 'node' : interpreter.startsWith('/') ? name : interpreter;
}

/** The kind of program an app runs on, which picks the default image and how a check is run inside it. */
export type Runtime = 'node' | 'python' | 'other';

/** Which runtime an app's interpreter is, from its name (tend's own node is an absolute path to `node`). */
export function runtimeOf(app: AppSpec): Runtime {
  const program = app.run.interpreter === null ? '' : containerProgram(app.run.interpreter);
  if (program === 'node') return 'node';
  if (/^python[\d.]*$/.test(program)) return 'python';
  return 'other';
}

/** Images by runtime, when `--image` names none: tend's own Node major, and the official slim images. */
const DEFAULT_IMAGES: Record<Runtime, string> = {
  node: 'node:20-slim',
  python: 'python:3-slim',
  other: 'debian:bookworm-slim',
};

/** The container image of an app: `--image`, else the default of its runtime. */
export function imageOf(app: AppSpec, image: string | undefined): string {
  return image ?? DEFAULT_IMAGES[runtimeOf(app)];
}

/** The command line in a container, its working folder, and the paths that lie outside the project folder. */
export interface ContainerCommand {
  command: string[];
  workingDir: string;
  /** Each path the image must hold where it is on this machine, with the key that names it. */
  outside: { key: 'script' | 'cwd'; path: string }[];
}

/** How the app is started inside a container whose `/app` holds the project folder. */
export function containerCommand(app: AppSpec, projectDir: string): ContainerCommand {
  const outside: ContainerCommand['outside'] = [];
  const place = (key: 'script' | 'cwd', path: string): string => {
    const placed = containerPath(path, projectDir);
    if (!placed.inside) outside.push({ key, path });
    return placed.path;
  };
  const { run } = app;
  // A script is a path when absolute; otherwise a command found on PATH, or a shell line for `bash -c`.
  const script = run.script.startsWith('/') ? place('script', run.script) : run.script;
  const program = run.interpreter === null ? [] : [containerProgram(run.interpreter), ...run.interpreterArgs];
  return { command: [...program, script, ...run.args], workingDir: place('cwd', run.cwd), outside };
}

/** Whole seconds for engines that count in seconds: rounded up, never below `min`. */
export function seconds(ms: number, min = 1): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

/** A duration as compose writes it: `10s`, or `1500ms` when not whole seconds. */
export function composeDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
