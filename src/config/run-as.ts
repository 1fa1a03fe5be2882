import { statSync } from 'node:fs';
import type { CheckedApp } from './check-app.js';
import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import type { EnvSource } from './types.js';
import { currentIds, lookupGroup, lookupUser, type UserEntry } from './users.js';

/** The identity an app runs with; an absent id is the daemon's own. */
export interface RunAs {
  uid?: number;
  gid?: number;
  /** The account `uid` names, whose HOME, USER and LOGNAME the app gets. */
  user?: UserEntry;
}

/**
 * Turns `uid`/`user` and `gid` (names or numbers) into ids, as PM2 does: `uid` alone runs with the user's
 * primary group. Unknown names, and ids a non-root tend could not switch to, are problems at the key.
 */
export function resolveRunAs(app: CheckedApp, report: Report, who?: { uid: number; gid: number; name: string }): RunAs {
  const v = app.values;
  if (v.uid === undefined && v.gid === undefined) return {};
  const asWritten = (key: string): string => app.written[key] ?? key;
  const at = (key: string): PathSegment[] => [...app.path, asWritten(key)];
  const runAs: RunAs = {};
  if (v.uid !== undefined) {
    const key = String(v.uid).trim();
    const user = lookupUser(key);
    if (user) Object.assign(runAs, { uid: user.uid, gid: user.gid, user });
    else
      report.problem(
        at('uid'),
        `${/^\d+$/.test(key) ? `no user has uid ${key}` : `unknown user \`${key}\``} (\`getent passwd ${key}\` finds none)`,
      );
  }
  if (v.gid !== undefined) {
    const key = String(v.gid).trim();
    const group = lookupGroup(key);
    if (group) runAs.gid = group.gid;
    else
      report.problem(
        at('gid'),
        `${/^\d+$/.test(key) ? `no group has gid ${key}` : `unknown group \`${key}\``} (\`getent group ${key}\` finds none)`,
      );
  }
  // Only root may switch: said here with the file's position; the daemon checks again for itself.
  const self = who ?? currentIds();
  if (self.uid !== 0) {
    const why = `running an app as another user or group needs tend to run as root, and it runs as ${self.name} (uid ${self.uid}, gid ${self.gid})`;
    if (runAs.uid !== undefined && runAs.uid !== self.uid)
      report.problem(at('uid'), `${why}; run tend as root, or remove \`${asWritten('uid')}\``);
    else if (runAs.gid !== undefined && runAs.gid !== self.gid) {
      const key = v.gid !== undefined ? 'gid' : 'uid';
      report.problem(at(key), `${why}; run tend as root, or remove \`${asWritten(key)}\``);
    }
  }
  return runAs;
}

/** HOME, USER and LOGNAME of the user the app runs as, unless the app's own env (or a CLI flag) sets them. */
export function withUserEnv(
  env: Record<string, string>,
  sources: Record<string, EnvSource>,
  user: UserEntry | undefined,
): void {
  if (!user) return;
  const vars = { HOME: user.home, USER: user.name, LOGNAME: user.name };
  for (const [key, value] of Object.entries(vars)) {
    const source = sources[key];
    if (source === 'env' || source === 'cli' || source?.startsWith('env_')) continue;
    env[key] = value;
    sources[key] = 'user';
  }
}

/**
 * Warns when the user cannot reach the app's folder or read its script, judged by the permission bits
 * (the app runs without supplementary groups; ACLs are not read, hence a warning, not a problem):
 * otherwise the first sign is node's "module not found" in the error log.
 */
export function warnUnreachable(
  runAs: RunAs,
  paths: { cwd: string; script: string | null },
  app: CheckedApp,
  report: Report,
): void {
  const { uid, gid } = runAs;
  if (uid === undefined || uid === 0 || gid === undefined) return;
  const who = runAs.user?.name ?? `uid ${uid}`;
  const denied =
    deniedStep(paths.cwd, uid, gid, 0o1) ??
    (paths.script === null ? undefined : deniedStep(paths.script, uid, gid, 0o4));
  if (denied)
    report.warn(
      [...app.path, app.written.uid ?? 'uid'],
      `${who} cannot ${denied}; the app will fail to start unless an ACL allows it`,
    );
}

// The first folder on the way that `uid`/`gid` cannot search, or the target itself if it lacks `bits`.
function deniedStep(target: string, uid: number, gid: number, bits: number): string | undefined {
  const steps = target
    .split('/')
    .filter(Boolean)
    .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);
  for (const [index, path] of ['/', ...steps].entries()) {
    let info;
    try {
      info = statSync(path);
    } catch {
      return undefined;
    }
    const last = index === steps.length;
    const need = last ? bits : 0o1;
    const shift = info.uid === uid ? 6 : info.gid === gid ? 3 : 0;
    if (((info.mode >> shift) & need) !== need) {
      const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
      return `${last && bits === 0o4 ? 'read' : 'enter'} ${path} (mode ${mode}, owner uid ${info.uid}, gid ${info.gid})`;
    }
  }
  return undefined;
}
