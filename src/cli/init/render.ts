import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { schemaLine } from './template.js';
import type { WrittenApp } from './from-running.js';

/**
 * The file `tend init --from-running` writes: the schema line, where it came from, and the apps; the variables that
 * came from the shell of `tend start` are marked, and a stopped app says why it has `autostart: false`.
 */
export function renderRunningApps(apps: WrittenApp[], options: { schema: string; file: string }): string {
  const doc = new Document({ apps: apps.map((app) => app.entry) });
  doc.commentBefore = [
    schemaLine(options.schema).slice(1),
    ` Written by \`tend init --from-running\` from the apps running then; \`tend plan ${options.file}\` compares it`,
    ' with what runs, and `tend apply` makes what runs match it.',
  ].join('\n');
  apps.forEach((app, index) => {
    const node = doc.getIn(['apps', index], true);
    if (!isMap(node)) return;
    const env = doc.getIn(['apps', index, 'env'], true);
    const firstShellKey = app.shellEnv[0];
    if (firstShellKey !== undefined && isMap(env)) {
      const key = pairKey(env, firstShellKey);
      if (key)
        key.commentBefore =
          ' From the shell that ran `tend start` (`tend apply` does not pass the shell on): keep what the app needs;' +
          '\n removing one restarts the app once at the next apply.';
    }
    const autostart = pairKey(node, 'autostart');
    if (autostart && app.entry.autostart === false) autostart.comment = ' stopped when this file was written';
  });
  return doc.toString({ lineWidth: 0 });
}

function pairKey(map: YAMLMap, name: string): { commentBefore?: string | null; comment?: string | null } | undefined {
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === name);
  if (!pair) return undefined;
  // A comment after `autostart: false` belongs to the value; before a key, to the key.
  if (name === 'autostart' && isScalar(pair.value)) return pair.value;
  return isScalar(pair.key) ? pair.key : undefined;
}
