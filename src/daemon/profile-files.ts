import path from 'node:path';
import type { ProfileKind, ProfileRequest } from '../api/methods.js';

const EXTENSIONS: Record<ProfileKind, string> = {
  cpu: 'cpuprofile',
  heap: 'heapsnapshot',
  'heap-sampling': 'heapprofile',
};

/** `20261205-224501`, local time: sorts by time, and is safe in a file name. */
function stampOf(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
}

/**
 * Where one instance's profile goes: the file asked for (with `-<instance>` before its extension when several
 * instances are profiled), or `<app>-<instance>-<time>.<ext>` in the folder, with the extension DevTools opens.
 */
export function profileFileFor(
  request: Pick<ProfileRequest, 'kind' | 'dir' | 'file'>,
  app: string,
  instance: number,
  several: boolean,
  at: Date,
): string {
  if (request.file !== undefined) {
    const file = path.resolve(request.dir, request.file);
    if (!several) return file;
    const ext = path.extname(file);
    return `${file.slice(0, file.length - ext.length)}-${instance}${ext}`;
  }
  return path.join(request.dir, `${app}-${instance}-${stampOf(at)}.${EXTENSIONS[request.kind]}`);
}
