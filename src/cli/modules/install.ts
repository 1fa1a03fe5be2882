/**
 * Installing a module, the same steps for `tend install` and `tend module update`: npm into a staging folder of the
 * home, the package's apps checked as an ecosystem file's are, and only then the folder renamed into place and the
 * apps applied. A failure before the rename leaves nothing behind; the module it replaces keeps running until then.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModule } from '../../config/module-load.js';
import type { LoadedModule } from '../../config/module-load.js';
import { TendError } from '../../core/errors.js';
import { withDaemon } from '../context.js';
import { terminalSafe } from '../output.js';
import { applyModuleApps, takenNames } from './apply-module.js';
import { npmInstall } from './npm-install.js';
import type { ModuleSource } from './source.js';
import {
  ensureModulesDirs,
  moduleDir,
  modulesDir,
  packageDirIn,
  readSettings,
  writeRecord,
  type ModuleRecord,
} from './store.js';

/** How messages name the module's package.json: the source folder's own file when it came from one. */
function labelFor(source: ModuleSource, name: string): string {
  return source.kind === 'path' && !source.tarball ? join(source.spec, 'package.json') : `${name}/package.json`;
}

/** The installed module's apps with its stored settings, from its folder in the home. */
export async function loadInstalled(home: string, record: ModuleRecord): Promise<LoadedModule> {
  const settings = (await readSettings(home))[record.name] ?? {};
  return loadInstalledWith(home, record.name, settings);
}

/** The same with these settings (`tend set` checks the new ones before it stores them). */
export function loadInstalledWith(home: string, name: string, settings: Record<string, string>): Promise<LoadedModule> {
  const dir = packageDirIn(moduleDir(home, name), name);
  return loadModule(dir, { home, label: join(dir, 'package.json'), settings });
}

/**
 * Installs `source` and applies its apps; `expected` is the module an update must install again (another package
 * there is refused). Returns the apply's exit code.
 */
export async function installModule(home: string, source: ModuleSource, expected?: string): Promise<number> {
  if (source.kind === 'path' && !existsSync(source.spec))
    throw new TendError('MODULE_INSTALL', `${source.spec}: no such file or folder; nothing was installed`);
  await ensureModulesDirs(home);
  const staging = await mkdtemp(join(modulesDir(home), '.staging-'));
  let name: string;
  let version: string | null;
  let appNames: string[];
  try {
    name = await npmInstall(staging, source.spec);
    if (expected !== undefined && name !== expected)
      throw new TendError('MODULE_INSTALL', `${source.spec} now holds the package \`${name}\`, not \`${expected}\``);
    const settings = (await readSettings(home))[name] ?? {};
    // The check the apps must pass before anything of the module is in place.
    const checked = await loadModule(packageDirIn(staging, name), { home, label: labelFor(source, name), settings });
    version = checked.version;
    appNames = checked.desired.apps.map((app) => app.name);
    await writeRecord(staging, { name, version, source: source.spec, installedAt: Date.now() });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  return withDaemon(async (client) => {
    const final = moduleDir(home, name);
    const replaced = existsSync(final) ? `${final}.old-${process.pid}` : null;
    try {
      const taken = takenNames(await client.call('list', undefined), name, appNames);
      if (taken.length > 0)
        throw new TendError(
          'MODULE_INSTALL',
          `${name} declares ${taken.map((n) => `\`${n}\``).join(', ')}, the name of an app that is not this module's; delete that app first (nothing was installed)`,
        );
      if (replaced) await rename(final, replaced);
      await rename(staging, final);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    // Read again from where the apps will run: their cwd and script are in the module's own folder now.
    const loaded = await loadInstalled(home, { name, version, source: source.spec, installedAt: 0 });
    process.stdout.write(
      `${replaced ? 'updated' : 'installed'} ${terminalSafe(name, false)}${version ? `@${version}` : ''} from ${terminalSafe(source.spec, false)}; apps: ${loaded.desired.apps.map((a) => terminalSafe(a.name, false)).join(', ')}\n`,
    );
    try {
      return await applyModuleApps(client, name, loaded.desired, { prune: true, restart: replaced !== null });
    } finally {
      // The old version's processes ran from this folder until the apply replaced them.
      if (replaced) await rm(replaced, { recursive: true, force: true });
    }
  });
}
