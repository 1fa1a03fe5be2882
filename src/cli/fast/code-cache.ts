// V8's compiled code for tend's own CommonJS bundles, kept in the home between runs. Most of what a CLI run executes
// runs once, so compiling it is much of the run: dist/file-verbs.cjs from its cache takes 5 ms off a 50-app
// `tend plan` (43 → 38 ms), and so off the start of every app an apply names. (`tend ls`, 20 KB, gains nothing: the
// cache's own reads cost what it saves.) Node 22 does this itself (module.enableCompileCache); Node 20 does not.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedModule {
  exports: unknown;
  /** Whether V8 took the compiled code from the cache rather than compiling the source. */
  fromCache: boolean;
  /** Stores what V8 compiled so far when the cache was missing or refused; call it as the process ends. */
  save(): void;
}

/**
 * Runs a CommonJS file as require() would, with the code V8 compiled for it in an earlier run. The cache is named after
 * the file's size and modification time (a rebuilt dist/ never meets an older build's code) and the V8 version; V8
 * itself refuses code from another version or other flags, and the file is then compiled as usual. It lives in the
 * tend home (0700): compiled code is trusted as it is read, so it never comes from a folder other users can write.
 */
export function requireWithCodeCache(file: string, cacheDir: string): CachedModule {
  const { size, mtimeMs } = statSync(file);
  const name = basename(file);
  const cacheFile = join(cacheDir, `${name}-${size}-${Math.trunc(mtimeMs)}-v8-${process.versions.v8}.cache`);
  const cachedData = readIfThere(cacheFile);
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache,
    save: () => {
      if (!fromCache) writeCache(cacheDir, cacheFile, `${name}-`, script.createCachedData());
    },
  };
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

/**
 * Atomically (two CLIs may end at once), then without the caches of the file's earlier builds. Only inside a home that
 * exists: a command that failed before any daemon started (a bad file) leaves no trace.
 */
function writeCache(cacheDir: string, cacheFile: string, prefix: string, data: Buffer): void {
  try {
    if (!existsSync(cacheDir)) mkdirSync(cacheDir, { mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, cacheFile);
    for (const entry of readdirSync(cacheDir)) {
      if (entry.startsWith(prefix) && join(cacheDir, entry) !== cacheFile) unlinkSync(join(cacheDir, entry));
    }
  } catch {
    // A cache that cannot be written (a read-only home, a race with another CLI) costs the next run its compile time.
  }
}
