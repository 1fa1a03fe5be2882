import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type picomatch from 'picomatch';
import type { WatchSpec } from '../config/types.js';
import { defaults } from '../core/defaults.js';
import { sha1Hex } from './sha1.js';

export interface WatchOptions {
  /** Folders never reported (tend's home, log folders): an app whose logs live in its cwd must not restart itself. */
  neverWatch: string[];
  /** Called once per burst of changes, after the quiet time, with the paths that changed. */
  onChange: (paths: string[]) => void;
  /** Floor of the quiet time (ms); the spec's delayMs wins when longer. */
  minQuietMs?: number;
  /** Watcher failures (inotify limits, permissions); they are warnings by default, never silently dropped. */
  onError?: (error: Error) => void;
}

export interface FileWatcher {
  /** Resolves once the initial scan is done: changes after it are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/**
 * A pattern without `/` names a file or folder anywhere under the root (`node_modules`, `*.log`); an absolute one
 * matches the absolute path; any other matches the path relative to the watched folder (`logs/**`).
 */
function ignoreMatcher(match: typeof picomatch, patterns: string[]): (file: string, root: string) => boolean {
  const compile = (list: string[]) => list.map((p) => match(p, { dot: true }));
  const byName = compile(patterns.filter((p) => !p.includes('/')));
  const byAbsolute = compile(patterns.filter((p) => p.startsWith('/')));
  const byRelative = compile(patterns.filter((p) => p.includes('/') && !p.startsWith('/')));
  return (file, root) => {
    if (byAbsolute.some((m) => m(file))) return true;
    const segments = path.relative(root, file).split(path.sep);
    if (segments.some((segment) => byName.some((m) => m(segment)))) return true;
    // Every prefix, so `logs/**` also covers the `logs` folder and whatever an event reports under it.
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    return prefixes.some((prefix) => byRelative.some((m) => m(prefix)));
  };
}

function isFile(target: string): boolean {
  try {
    return statSync(target).isFile();
  } catch {
    // Not there yet: watch it as a folder, chokidar picks it up when it appears.
    return false;
  }
}

function hashOf(file: string): string | null {
  try {
    return sha1Hex(readFileSync(file));
  } catch {
    return null;
  }
}

/** chokidar and picomatch cost the daemon memory from its start: they are loaded when an app first sets `watch`. */
async function loadLibraries(): Promise<{ watch: typeof import('chokidar').watch; match: typeof picomatch }> {
  const [chokidar, pm] = await Promise.all([import('chokidar'), import('picomatch')]);
  return { watch: chokidar.watch, match: pm.default };
}

/** Watches an app's files and reports each burst of changes once, for watch-mode restarts. */
export function watchFiles(spec: WatchSpec, options: WatchOptions): FileWatcher {
  const targets = spec.paths.map((p) => path.resolve(p));
  const files = new Set(targets.filter(isFile));
  const folders = targets.filter((t) => !files.has(t));
  // Single files are watched through their folder: editors and git replace files by rename (paulmillr/chokidar#601).
  const parents = new Set([...files].map((f) => path.dirname(f)));
  const never = options.neverWatch.map((p) => path.resolve(p));
  // Replaced once picomatch is loaded, before the watcher that calls it exists.
  let isIgnoredByPattern = (_file: string, _root: string): boolean => true;
  const hashes = new Map([...files].map((f) => [f, hashOf(f)]));

  const ignored = (file: string): boolean => {
    if (never.some((n) => isInside(file, n))) return true;
    if (files.has(file) || parents.has(file) || folders.includes(file)) return false;
    const root = folders.find((f) => isInside(file, f));
    // Siblings of a single watched file, in the folder watched on its behalf.
    if (root === undefined) return true;
    return isIgnoredByPattern(file, root);
  };

  const quietMs = Math.max(spec.delayMs, options.minQuietMs ?? defaults.watchMinQuietMs);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const flush = (): void => {
    timer = null;
    const changed = [...pending].sort();
    pending.clear();
    if (!closed && changed.length > 0) options.onChange(changed);
  };

  const onEvent = (file: string): void => {
    const absolute = path.resolve(file);
    if (ignored(absolute)) return;
    if (files.has(absolute)) {
      // A rename-replace or a touch with the same content is not a change worth a restart.
      const hash = hashOf(absolute);
      if (hash !== null && hash === hashes.get(absolute)) return;
      hashes.set(absolute, hash);
    } else if (!folders.some((f) => isInside(absolute, f))) {
      return;
    }
    pending.add(absolute);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, quietMs);
  };

  const report = (error: unknown): void => {
    const onError = options.onError ?? ((e: Error) => process.emitWarning(`file watcher: ${e.message}`));
    onError(error instanceof Error ? error : new Error(String(error)));
  };

  const started = loadLibraries().then(({ watch, match }) => {
    if (closed) return null;
    isIgnoredByPattern = ignoreMatcher(match, [...spec.ignore, ...defaults.watchIgnore]);
    const watcher = watch([...folders, ...parents], {
      ignoreInitial: true,
      persistent: true,
      ignored: (file: string) => ignored(path.resolve(file)),
    });
    watcher.on('all', (_event, file) => onEvent(file));
    watcher.on('error', report);
    return watcher;
  });
  const ready = started.then(
    (watcher) => new Promise<void>((resolve) => (watcher ? watcher.once('ready', () => resolve()) : resolve())),
    // A failed load (a broken install) is reported like any watcher failure; the app simply runs unwatched.
    (error: unknown) => report(error),
  );

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const watcher = await started.catch(() => null);
      await watcher?.close();
    },
  };
}
