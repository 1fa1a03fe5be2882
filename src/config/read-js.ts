import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction, Script } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { defaults } from '../core/defaults.js';
import { TendError } from '../core/errors.js';
import { jsonModuleData } from './data-module.js';
import { toPlainData } from './plain-data.js';
import { stackPosition } from './stack-position.js';
import { textLocator } from './text-locator.js';
import type { Source } from './source.js';

/**
 * Evaluates a JavaScript ecosystem file. Accepts `module.exports = {...}`, `export default {...}` and
 * `export const apps = [...]` (PM2 itself cannot read the last two from ESM files), and a Promise of any of them (a file
 * that computes its apps). Each call reads the file afresh so an edited file is seen; only the file itself is re-read,
 * not modules it requires.
 *
 * A config is code, and code can hang or end the process: loading is bounded by `configLoadTimeoutMs` (or
 * TEND_CONFIG_TIMEOUT, in ms; `--load-timeout` sets it), and a `process.exit()` while loading is an error, never a silent
 * success (a CI drift check would pass). CommonJS runs here under V8's execution timeout, which stops an endless loop
 * however deep in the files it requires; ESM runs in a worker thread, ended at the time limit (ESM has no in-process
 * timeout), which also gives it Node's own module loader on every path tend loads configs from.
 */
export async function readJs(file: string, absoluteFile: string): Promise<Source> {
  const text = await readFile(absoluteFile, 'utf8');
  const esm = isEsm(absoluteFile);
  // Plain data needs no run, no time limit and no check of what code made (src/config/data-module.ts).
  const literal = esm ? undefined : jsonModuleData(text);
  if (literal !== undefined) {
    const data = unwrapExports(literal.data);
    return { file, absoluteFile, data, locator: textLocator(text, file, data) };
  }
  const timeoutMs = configLoadTimeoutMs();
  let exported: unknown;
  try {
    exported = esm
      ? await importInWorker(file, absoluteFile, timeoutMs)
      : await withTimeLimit(file, requireBounded(file, absoluteFile, text, timeoutMs), timeoutMs);
  } catch (error) {
    if (error instanceof TendError) throw error;
    const position = stackPosition(file, absoluteFile, error);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new TendError('CONFIG_LOAD', `${file} could not be loaded`, {
      problems: [{ message: reason, ...(position ? { position } : {}) }],
      cause: error,
    });
  }
  const data = withoutUndefined(toPlainData(file, unwrapExports(exported)));
  return { file, absoluteFile, data, locator: textLocator(text, file, data) };
}

/** The time a JS config gets to load: TEND_CONFIG_TIMEOUT (ms) when it is a positive number, else the default. */
export function configLoadTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.TEND_CONFIG_TIMEOUT);
  return Number.isFinite(given) && given > 0 ? given : defaults.configLoadTimeoutMs;
}

function isEsm(absoluteFile: string): boolean {
  const ext = extname(absoluteFile);
  if (ext === '.mjs') return true;
  if (ext === '.cjs') return false;
  return nearestPackageType(dirname(absoluteFile)) === 'module';
}

/** Node's rule for `.js`: the `type` of the nearest package.json decides between ESM and CommonJS. */
function nearestPackageType(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function tooSlow(file: string, timeoutMs: number): TendError {
  return new TendError(
    'CONFIG_LOAD',
    `${file} did not finish loading within ${timeoutMs} ms (an endless loop, or a promise that never settles?); ` +
      'give it longer with --load-timeout <ms> or TEND_CONFIG_TIMEOUT',
  );
}

function neverSettled(file: string): TendError {
  return new TendError(
    'CONFIG_LOAD',
    `${file} never finished loading: its top-level await (or exported promise) waits for something that can never come`,
  );
}

function exitedWhileLoading(file: string, code: unknown): TendError {
  return new TendError(
    'CONFIG_LOAD',
    `${file} called process.exit(${code ?? ''}) while loading: an ecosystem file must export its apps, not end the process`,
  );
}

/** A CommonJS file as require() would run it, with V8's execution timeout over everything it runs synchronously. */
function requireBounded(file: string, absoluteFile: string, text: string, timeoutMs: number): unknown {
  const body = text.startsWith('#!') ? `//${text}` : text;
  const run = compileFunction(body, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: absoluteFile,
  });
  const module = { exports: {} as unknown };
  const require = createRequire(absoluteFile);
  const slot = Symbol.for('tend.configLoad');
  const realExit = process.exit;
  const global = globalThis as unknown as Record<symbol, () => void>;
  global[slot] = () => run.call(module.exports, module.exports, require, module, absoluteFile, dirname(absoluteFile));
  // A config that ends the process would leave `tend plan --exit-code` saying "no drift" with exit 0.
  process.exit = ((code?: unknown) => {
    throw exitedWhileLoading(file, code);
  }) as typeof process.exit;
  try {
    new Script('globalThis[Symbol.for("tend.configLoad")]()').runInThisContext({
      timeout: timeoutMs,
      displayErrors: false,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw tooSlow(file, timeoutMs);
    throw error;
  } finally {
    process.exit = realExit;
    delete global[slot];
  }
  return module.exports;
}

/** A Promise export is awaited, within what is left of the time limit. */
async function withTimeLimit(file: string, exported: unknown, timeoutMs: number): Promise<unknown> {
  if (!isThenable(exported)) return exported;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(file, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([exported, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs in the worker: imports the file (a fresh URL each time, so an edited file is evaluated again), awaits a Promise
 * export, and posts the module's plain data back. What the structured clone cannot carry (a function, a symbol) fails
 * the post and comes back as the reason.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const realExit = process.exit;
process.exit = (code) => {
  parentPort.postMessage({ ok: false, exit: code === undefined ? '' : code });
  realExit(code);
};
// The loop ran dry with the import still pending: a top-level await or an exported promise that can never settle.
process.on('beforeExit', () => parentPort.postMessage({ ok: false, unsettled: true }));
(async () => {
  const ns = await import(workerData.url);
  const out = {};
  for (const key of Object.keys(ns)) {
    let value = ns[key];
    if (value !== null && typeof value === 'object' && typeof value.then === 'function') value = await value;
    out[key] = value;
  }
  parentPort.postMessage({ ok: true, exports: out });
})().catch((error) => {
  parentPort.postMessage({ ok: false, name: error && error.name, message: error && error.message, stack: error && error.stack });
});
`;

/** An ESM config, loaded in a worker thread that is ended at the time limit, or when it calls process.exit(). */
function importInWorker(file: string, absoluteFile: string, timeoutMs: number): Promise<unknown> {
  const url = pathToFileURL(absoluteFile);
  url.search = `?tend=${Date.now()}`;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url: url.href }, stdout: false });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(tooSlow(file, timeoutMs))), timeoutMs);
    worker.on('message', (message: WorkerAnswer) =>
      settle(() => {
        if (message.ok) resolve(namespaceOf(message.exports));
        else if ('exit' in message) reject(exitedWhileLoading(file, message.exit));
        else if ('unsettled' in message) reject(neverSettled(file));
        else reject(Object.assign(new Error(message.message), { name: message.name ?? 'Error', stack: message.stack }));
      }),
    );
    worker.on('error', (error) => settle(() => reject(error)));
    // An exit without a word: the worker was ended from inside in a way its own hooks could not see.
    worker.on('exit', (code) => settle(() => reject(exitedWhileLoading(file, code))));
  });
}

type WorkerAnswer =
  | { ok: true; exports: Record<string, unknown> }
  | { ok: false; exit: unknown }
  | { ok: false; unsettled: true }
  | { ok: false; name?: string; message: string; stack?: string };

/** The worker's copy of a module namespace, marked so `unwrapExports` treats it as one. */
function namespaceOf(exports: Record<string, unknown>): unknown {
  return Object.defineProperty({ ...exports }, Symbol.toStringTag, { value: 'Module' });
}

/** The ecosystem object from whatever shape of module the file is. */
function unwrapExports(exported: unknown): unknown {
  if (exported === null || typeof exported !== 'object') return exported;
  const module = exported as Record<string, unknown>;
  const isNamespace = Object.prototype.toString.call(exported) === '[object Module]';
  if ((isNamespace || module.__esModule === true) && 'default' in module && module.default !== undefined) {
    return module.default;
  }
  if (isNamespace) {
    // `export const apps = [...]` (and PM2's `pm2` alias, plus `deploy` if present).
    const picked: Record<string, unknown> = {};
    for (const key of ['apps', 'pm2', 'deploy', 'static']) if (module[key] !== undefined) picked[key] = module[key];
    return picked;
  }
  return exported;
}

/** JavaScript values as JSON would see them: `undefined` properties are absent. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = withoutUndefined(inner);
  return out;
}
