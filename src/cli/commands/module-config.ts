import { envNameOfKey } from '../../config/module-env.js';
import { parseModuleKey, parseModuleTarget } from '../../config/module-key.js';
import { TendError } from '../../core/errors.js';
import { paths, withDaemon } from '../context.js';
import { terminalSafe } from '../output.js';
import { applyModuleApps } from '../modules/apply-module.js';
import { loadInstalled, loadInstalledWith } from '../modules/install.js';
import { readModules, readSettings, requireModule, writeSettings } from '../modules/store.js';

/**
 * `tend set MODULE:KEY VALUE` (PM2's verb): stores the value and applies the module's apps again with it; their
 * environment changed, so the running ones are restarted.
 */
export async function setCommand(target: string, value: string): Promise<number> {
  const { module, key } = parseModuleKey(target);
  const home = paths().home;
  await requireModule(home, module);
  const settings = await readSettings(home);
  const own = { ...(settings[module] ?? {}), [key]: value };
  const clash = Object.keys(own).find((other) => other !== key && envNameOfKey(other) === envNameOfKey(key));
  if (clash !== undefined)
    throw new TendError(
      'USAGE',
      `${module}:${key} would be passed as ${envNameOfKey(key)}, as ${module}:${clash} already is; unset that one first`,
    );
  // Checked with the new value before it is stored.
  const loaded = await loadInstalledWith(home, module, own);
  await writeSettings(home, { ...settings, [module]: own });
  process.stdout.write(`${terminalSafe(`${module}:${key}`, false)} = ${terminalSafe(value, false)}\n`);
  return withDaemon((client) => applyModuleApps(client, module, loaded.desired));
}

/** `tend unset MODULE:KEY`: the key goes (back to the package's default, if it has one) and the apps restart. */
export async function unsetCommand(target: string): Promise<number> {
  const { module, key } = parseModuleKey(target);
  const home = paths().home;
  await requireModule(home, module);
  const settings = await readSettings(home);
  const own = { ...(settings[module] ?? {}) };
  if (!(key in own)) {
    process.stdout.write(`${terminalSafe(`${module}:${key}`, false)} was not set; nothing changed\n`);
    return 0;
  }
  delete own[key];
  const loaded = await loadInstalledWith(home, module, own);
  const next = { ...settings, [module]: own };
  if (Object.keys(own).length === 0) delete next[module];
  await writeSettings(home, next);
  process.stdout.write(`unset ${terminalSafe(`${module}:${key}`, false)}\n`);
  return withDaemon((client) => applyModuleApps(client, module, loaded.desired));
}

/**
 * `tend get [MODULE[:KEY]]`: one key's value alone (for scripts), or every setting of a module or of all modules, the
 * package's `config` defaults included and marked. Reads files only: the daemon is not needed.
 */
export async function getCommand(target: string | undefined, options: { json?: boolean }): Promise<number> {
  const home = paths().home;
  const wanted = target === undefined ? undefined : parseModuleTarget(target);
  const records = wanted === undefined ? await readModules(home) : [await requireModule(home, wanted.module)];
  const settings = await readSettings(home);
  const effective: Record<string, Record<string, unknown>> = {};
  const defaultsOf: Record<string, Set<string>> = {};
  for (const record of records) {
    const { config } = await loadInstalled(home, record);
    effective[record.name] = config;
    const own = settings[record.name] ?? {};
    defaultsOf[record.name] = new Set(Object.keys(config).filter((key) => !(key in own)));
  }
  if (wanted?.key !== undefined) {
    const value = effective[wanted.module]?.[wanted.key];
    if (value === undefined)
      throw new TendError('USAGE', `${wanted.module}:${wanted.key} is not set, and the module has no default for it`);
    process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    return 0;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const [module, config] of Object.entries(effective))
    for (const [key, value] of Object.entries(config)) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      const mark = defaultsOf[module]?.has(key) ? ' (default)' : '';
      lines.push(`${terminalSafe(`${module}:${key}`, false)} = ${terminalSafe(shown, false)}${mark}`);
    }
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : 'nothing set\n');
  return 0;
}
