import { describeValue } from './describe-value.js';
import { appKeys, canonicalKey, rotateKeys } from './keys.js';
import type { Report } from './report.js';
import { closestName, snakeCase } from './suggest.js';
import { parseSize, parseWhole } from './units.js';

type RotateKey = (typeof rotateKeys)[number];

const valid: Record<RotateKey, (value: unknown) => boolean> = {
  max_size: (value) => parseSize(value) !== undefined,
  retain: (value) => (parseWhole(value) ?? -1) >= 0,
  compress: (value) => typeof value === 'boolean',
  date_format: (value) => typeof value === 'string' && value.trim() !== '',
};

/**
 * Checks the file's top-level `log_rotate` and returns its settings, to be given to every app that
 * does not set its own; problems are reported at `log_rotate.<key>`.
 */
export function fileRotation(value: unknown, report: Report): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    report.problem(['log_rotate'], `expected a mapping of ${rotateKeys.join(', ')}; got ${describeValue(value)}`);
    return undefined;
  }
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
    const name = snakeCase(key) as RotateKey;
    if (!(rotateKeys as readonly string[]).includes(name)) {
      const guess = closestName(key, rotateKeys);
      report.problem(
        ['log_rotate', key],
        `unknown key \`${key}\` in \`log_rotate\`${guess ? `; did you mean \`${guess}\`?` : ` (expected ${rotateKeys.join(', ')})`}`,
        'key',
      );
    } else if (!valid[name](setting)) {
      report.problem(['log_rotate', key], `expected ${appKeys[name]!.expected}; got ${describeValue(setting)}`);
    } else {
      settings[name] = setting;
    }
  }
  return settings;
}

/** The app with the file's rotation settings it does not set itself (however it spells them). */
export function withFileRotation(raw: unknown, settings: Record<string, unknown> | undefined): unknown {
  if (!settings || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const own = new Set(Object.keys(raw).map((key) => canonicalKey(key) ?? canonicalKey(snakeCase(key))));
  const inherited = Object.fromEntries(Object.entries(settings).filter(([key]) => !own.has(key)));
  return { ...inherited, ...raw };
}
