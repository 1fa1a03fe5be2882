// V8's compiled code for tend's own CommonJS bundles, kept in the user's cache folder between runs. Most of what a run of
// the CLI or of tend-runtime executes runs once, so compiling it is much of the run: dist/file-verbs.cjs from its cache
// takes 5 ms off a 50-app `tend plan` (43 -> 38 ms), and so off the start of every app an apply names; dist/runtime-main.cjs
// from its cache starts a container's apps sooner (docs/decisions/0047-tend-runtime-starts-the-app-sooner.md). (`tend ls`,
// 20 KB, gains nothing: the cache's own reads cost what it saves.) Node 22 does this itself (module.enableCompileCache);
// Node 20 does not.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { temporaryNameFor } from './atomic-file.js';

export interface CachedModule {
  exports: unknown;
  /** Whether V8 took the compiled code from the cache rather than compiling the source. */
  fromCache: boolean;
  /** Stores what V8 compiled so far when the cache was missing or refused; call it as the process ends. */
  save(): void;
}

/**
 * Runs a CommonJS file as require() would, with the code V8 compiled for it in an earlier run. The cache is named after
 * the file's folder (two installations of tend keep one each), size and modification time (a rebuilt dist/ never meets
 * an older build's code) and the V8 version; V8 itself refuses code from another version or other flags, and the file
 * is then compiled as usual. Compiled code is trusted as it is read, so it is read only from a folder of this user's
 * that no one else can write.
 */
export function requireWithCodeCache(file: string, cacheDir: string | null): CachedModule {
  const { size, mtimeMs } = statSync(file);
  const build = `${basename(file)}-${folderTag(dirname(file))}-`;
  const cacheFile =
    cacheDir === null ? null : join(cacheDir, `${build}${size}-${Math.trunc(mtimeMs)}-v8-${process.versions.v8}.cache`);
  const cachedData = cacheFile !== null && isPrivate(dirname(cacheFile)) ? readIfThere(cacheFile) : undefined;
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache,
    save: () => {
      if (!fromCache && cacheFile !== null) writeCache(cacheFile, build, script.createCachedData());
    },
  };
}

/**
 * The user's cache folder for tend (`$XDG_CACHE_HOME/tend`, else `~/.cache/tend`), shared by all their tend homes, so
 * even the first apply in a new home finds the code; null when there is no home folder to put it in.
 */
export function userCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'tend');
  return env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.cache', 'tend') : null;
}

/** Owned by this user and writable by no one else (as tend creates it), or its contents are not trusted. */
function isPrivate(dir: string): boolean {
  try {
    const { uid, mode } = statSync(dir);
    return (process.getuid === undefined || uid === process.getuid()) && (mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The function Node wraps every CommonJS file in; a `#!` line is kept as a comment, so lines stay where they were. */
function wrap(source: string): string {
  const body = source.startsWith('#!') ? `//${source}` : source;
  return `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** A short name for a folder (djb2): no crypto module to load for it. */
function folderTag(folder: string): string {
  let hash = 5381;
  for (let i = 0; i < folder.length; i++) hash = ((hash * 33) ^ folder.charCodeAt(i)) >>> 0;
  return hash.toString(36);
}

/** Atomically (two CLIs may end at once), then without the caches of the same file's earlier builds. */
function writeCache(cacheFile: string, build: string, data: Buffer): void {
  const cacheDir = dirname(cacheFile);
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    if (!isPrivate(cacheDir)) return;
    const temporary = temporaryNameFor(cacheFile);
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, cacheFile);
    for (const entry of readdirSync(cacheDir)) {
      if (entry.startsWith(build) && join(cacheDir, entry) !== cacheFile) unlinkSync(join(cacheDir, entry));
    }
  } catch {
    // A cache that cannot be written (no room, a read-only folder, a race with another CLI) costs the next run its compile.
  }
}
