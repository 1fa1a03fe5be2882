/**
 * Where installed modules live in the home: `modules/packages/<name>/` is each module's own npm prefix (the package in
 * its `node_modules/<name>/`, with what it depends on) and its record `tend-module.json`; `modules/config.json` holds
 * what `tend set` stored, 0600, written atomically. A module is installed in a staging folder beside them and renamed
 * into place, so a half-done install is never one of them.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../core/atomic-file.js';
import { TendError } from '../../core/errors.js';

/** What `tend install` remembers about a module, for `module ls` and `module update`. */
export interface ModuleRecord {
  name: string;
  version: string | null;
  /** What to give npm again on update: a registry name, a git URL, or an absolute path (folder or tarball). */
  source: string;
  /** When it was installed or last updated, ms since the epoch. */
  installedAt: number;
}

/** Values set with `tend set`, by module then key. */
export type ModuleSettings = Record<string, Record<string, string>>;

export const RECORD_FILE = 'tend-module.json';

export function modulesDir(home: string): string {
  return join(home, 'modules');
}

export function packagesDir(home: string): string {
  return join(modulesDir(home), 'packages');
}

/** The module's npm prefix; a scoped name's `/` is escaped so each module is one folder. */
export function moduleDir(home: string, name: string): string {
  return join(packagesDir(home), encodeURIComponent(name));
}

/** The installed package itself, inside its prefix: its apps' cwd. */
export function packageDirIn(prefix: string, name: string): string {
  return join(prefix, 'node_modules', name);
}

export function configFile(home: string): string {
  return join(modulesDir(home), 'config.json');
}

/** The home's module folders, made private (settings may hold tokens). */
export async function ensureModulesDirs(home: string): Promise<void> {
  await mkdir(packagesDir(home), { recursive: true, mode: 0o700 });
}

/** Every installed module's record, by name; folders without a readable record (a crash mid-rename) are skipped. */
export async function readModules(home: string): Promise<ModuleRecord[]> {
  const entries = await readdir(packagesDir(home)).catch(() => [] as string[]);
  const records: ModuleRecord[] = [];
  for (const entry of entries.sort()) {
    const record = await readRecord(join(packagesDir(home), entry));
    if (record) records.push(record);
  }
  return records;
}

export async function readRecord(prefix: string): Promise<ModuleRecord | null> {
  try {
    const record = JSON.parse(await readFile(join(prefix, RECORD_FILE), 'utf8')) as ModuleRecord;
    return typeof record.name === 'string' && typeof record.source === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** The record of an installed module, or UNKNOWN_MODULE naming those that are installed. */
export async function requireModule(home: string, name: string): Promise<ModuleRecord> {
  const record = await readRecord(moduleDir(home, name));
  if (record && record.name === name) return record;
  const installed = (await readModules(home)).map((m) => m.name);
  const hint =
    name === 'pm2-logrotate'
      ? '; tend rotates logs itself: set `max_size`, `retain`, `compress` on the app in its ecosystem file'
      : '';
  throw new TendError(
    'UNKNOWN_MODULE',
    `no module named \`${name}\` is installed (installed: ${installed.join(', ') || 'none'})${hint}`,
  );
}

export async function writeRecord(prefix: string, record: ModuleRecord): Promise<void> {
  await writeFileAtomically(join(prefix, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** What `tend set` stored; a file that is missing holds nothing, one that is not JSON is an error that says where. */
export async function readSettings(home: string): Promise<ModuleSettings> {
  const file = configFile(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) return data as ModuleSettings;
  } catch {
    // Reported below.
  }
  throw new TendError('STATE_CORRUPT', `${file} is not a JSON object of module settings; fix or remove it`);
}

export async function writeSettings(home: string, settings: ModuleSettings): Promise<void> {
  await mkdir(modulesDir(home), { recursive: true, mode: 0o700 });
  await writeFileAtomically(configFile(home), `${JSON.stringify(settings, null, 2)}\n`);
}
