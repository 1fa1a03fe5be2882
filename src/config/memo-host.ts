import type { FileHost } from './host.js';

/**
 * A FileHost that asks the filesystem each question once per load: the apps of a file mostly share their `cwd` (the
 * file's folder), often a script and an interpreter, and 1,000 apps asked for the same folder 1,000 times. One load
 * takes one look at the disk, as a snapshot would; the next `plan` or `apply` looks again.
 */
export function memoHost(host: FileHost): FileHost {
  const kinds = new Map<string, ReturnType<FileHost['kind']>>();
  const executables = new Map<string, boolean>();
  const memo: FileHost = {
    kind(path) {
      if (kinds.has(path)) return kinds.get(path);
      const kind = host.kind(path);
      kinds.set(path, kind);
      return kind;
    },
    isExecutable(path) {
      let executable = executables.get(path);
      if (executable === undefined) {
        executable = host.isExecutable(path);
        executables.set(path, executable);
      }
      return executable;
    },
  };
  // Absent means "read from the disk" (src/config/env-file.ts): kept absent, as contents are not cached.
  if (host.readText) memo.readText = (path) => host.readText?.(path);
  return memo;
}
