/**
 * The system's users and groups, for `uid`/`user` and `gid`: names become numbers when the file is
 * validated, so the daemon spawns with numbers and an unknown name is a config error, not a failed start.
 */
import { readFileSync } from 'node:fs';

/** One account, as `getent passwd` gives it. */
export interface UserEntry {
  name: string;
  uid: number;
  /** The user's primary group: what the app runs with when only `uid` is set (as PM2). */
  gid: number;
  home: string;
}

/** One group, as `getent group` gives it. */
export interface GroupEntry {
  name: string;
  gid: number;
}

const users = new Map<string, UserEntry | undefined>();
const groups = new Map<string, GroupEntry | undefined>();

/** A user by name or uid; `getent` sees NSS users (LDAP, sssd), `/etc/passwd` is the fallback where it is missing. */
export function lookupUser(key: string): UserEntry | undefined {
  if (!users.has(key)) {
    const fields = lookup('passwd', key);
    users.set(
      key,
      fields && isId(fields[2]) && isId(fields[3])
        ? { name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '/' }
        : undefined,
    );
  }
  return users.get(key);
}

/** A group by name or gid. */
export function lookupGroup(key: string): GroupEntry | undefined {
  if (!groups.has(key)) {
    const fields = lookup('group', key);
    groups.set(key, fields && isId(fields[2]) ? { name: fields[0]!, gid: Number(fields[2]) } : undefined);
  }
  return groups.get(key);
}

/** Who this process runs as, for messages and the "only root can switch users" rule. */
export function currentIds(): { uid: number; gid: number; name: string } {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return { uid, gid, name: lookupUser(String(uid))?.name ?? `uid ${uid}` };
}

function isId(text: string | undefined): boolean {
  return text !== undefined && /^\d+$/.test(text);
}

/** The colon-separated fields of the entry for `key` in a database, or undefined when there is none. */
function lookup(database: 'passwd' | 'group', key: string): string[] | undefined {
  if (key === '' || key.includes(':') || key.includes('\n')) return undefined;
  try {
    // Loaded here, not at the top: most files name no user, and node:child_process is 1.5 ms of every `tend apply`.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const out = execFileSync('getent', [database, key], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n')[0]?.split(':');
  } catch (error) {
    // Exit code 2 is getent's "not found"; anything else (no getent, a timeout) falls back to the file.
    if ((error as { status?: number }).status === 2) return undefined;
    return fromFile(database === 'passwd' ? '/etc/passwd' : '/etc/group', key);
  }
}

function fromFile(file: string, key: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
  // As getent: a name first, then a number as an id.
  return (
    entries.find((fields) => fields[0] === key) ?? (isId(key) ? entries.find((fields) => fields[2] === key) : undefined)
  );
}
