/**
 * What `tend install X` was given: a registry name (`pm2-logrotate`, `name@1.2`, `@scope/name`), a git URL, or a path
 * to a folder or a tarball. Paths are made absolute here, since npm runs with another prefix and the source is
 * remembered for `tend module update`. Pure: the caller checks that a path exists.
 */
import { isAbsolute, resolve } from 'node:path';

export type ModuleSource =
  | { kind: 'registry'; spec: string }
  | { kind: 'git'; spec: string }
  | { kind: 'path'; spec: string; tarball: boolean };

const GIT = /^(?:git\+[a-z]+:|git:|git@|github:|gitlab:|bitbucket:|gist:)|\.git(?:#.*)?$/i;
const GITHUB_SHORTHAND = /^[\w-]+\/[\w.-]+(?:#.*)?$/;
const TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;

/** The source `spec` names, with a path resolved against `cwd` and `~` against `home`. */
export function classifySource(spec: string, cwd: string, home: string): ModuleSource {
  // A tarball's URL is npm's business, as a registry name is.
  if (/^https?:\/\//i.test(spec)) return GIT.test(spec) ? { kind: 'git', spec } : { kind: 'registry', spec };
  if (GIT.test(spec)) return { kind: 'git', spec };
  const path = spec.startsWith('file:') ? spec.slice('file:'.length) : spec;
  const tarball = TARBALL.test(path);
  const pathLike =
    spec.startsWith('file:') || path.startsWith('.') || isAbsolute(path) || path.startsWith('~/') || tarball;
  // npm reads `user/repo` as GitHub's; a folder is written `./user/repo`.
  if (!pathLike && GITHUB_SHORTHAND.test(spec)) return { kind: 'git', spec };
  if (!pathLike) return { kind: 'registry', spec };
  const absolute = path.startsWith('~/') ? resolve(home, path.slice(2)) : resolve(cwd, path);
  return { kind: 'path', spec: absolute, tarball };
}
