import { rm } from 'node:fs/promises';
import type { ProcessView } from '../../api/methods.js';
import { plural } from '../../core/plural.js';
import { paths, withDaemon } from '../context.js';
import { paint, renderTable, statusStyle, terminalSafe, useColor } from '../output.js';
import { appsOfModule } from '../modules/apply-module.js';
import { installModule } from '../modules/install.js';
import { classifySource } from '../modules/source.js';
import { moduleDir, readModules, readSettings, requireModule, writeSettings } from '../modules/store.js';

/** `tend install NAME|PATH|TARBALL|GIT-URL`: npm installs the module into the home, then its apps are applied. */
export async function installCommand(spec: string): Promise<number> {
  const home = paths().home;
  return installModule(home, classifySource(spec, process.cwd(), process.env.HOME ?? home));
}

/** `tend module update NAME`: installs the module again from where it came, and restarts its apps on the new code. */
export async function moduleUpdateCommand(name: string): Promise<number> {
  const home = paths().home;
  const record = await requireModule(home, name);
  return installModule(home, classifySource(record.source, process.cwd(), home), name);
}

/** `tend uninstall NAME`: its apps deleted, its folder and its settings removed. */
export async function uninstallCommand(name: string): Promise<number> {
  const home = paths().home;
  await requireModule(home, name);
  const deleted = await withDaemon(async (client) => {
    const names = appsOfModule(await client.call('list', undefined), name);
    if (names.length > 0) await client.call('delete', { targets: names });
    return names;
  });
  await rm(moduleDir(home, name), { recursive: true, force: true });
  const settings = await readSettings(home);
  if (name in settings) {
    delete settings[name];
    await writeSettings(home, settings);
  }
  const apps = deleted.length > 0 ? `; deleted ${plural(deleted.length, 'app')}: ${deleted.join(', ')}` : '';
  process.stdout.write(`uninstalled ${terminalSafe(name, false)}${apps}\n`);
  return 0;
}

/** One module as `tend module ls --json` gives it. */
export interface ModuleView {
  name: string;
  version: string | null;
  source: string;
  installed_at: number;
  settings: Record<string, string>;
  apps: Array<{ name: string; instance: number; status: string }>;
}

/** The installed modules with their apps' processes as the daemon sees them now. */
export function moduleViews(
  records: Awaited<ReturnType<typeof readModules>>,
  settings: Awaited<ReturnType<typeof readSettings>>,
  views: readonly ProcessView[],
): ModuleView[] {
  return records.map((record) => ({
    name: record.name,
    version: record.version,
    source: record.source,
    installed_at: record.installedAt,
    settings: settings[record.name] ?? {},
    apps: views
      .filter((v) => v.module === record.name)
      .map((v) => ({ name: v.name, instance: v.instance, status: v.status })),
  }));
}

/** `tend module ls`: each installed module, its version, source, apps and how many settings it has. */
export async function moduleListCommand(options: { json?: boolean }): Promise<number> {
  const home = paths().home;
  const records = await readModules(home);
  const views = records.length === 0 ? [] : await withDaemon((client) => client.call('list', undefined));
  const modules = moduleViews(records, await readSettings(home), views);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(modules, null, 2)}\n`);
    return 0;
  }
  if (modules.length === 0) {
    process.stdout.write('No modules. Install one with `tend install NAME|PATH|TARBALL|GIT-URL`.\n');
    return 0;
  }
  const color = useColor();
  const rows = modules.map((m) => [
    terminalSafe(m.name, false),
    m.version ?? '-',
    m.apps.length === 0
      ? paint('no app', 'red', color)
      : m.apps
          .map((a) => `${terminalSafe(a.name, false)}[${a.instance}] ${paint(a.status, statusStyle(a.status), color)}`)
          .join(', '),
    String(Object.keys(m.settings).length),
    terminalSafe(m.source, false),
  ]);
  process.stdout.write(`${renderTable(['module', 'version', 'apps', 'settings', 'source'], rows, color)}\n`);
  return 0;
}
