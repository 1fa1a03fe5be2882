import type { CronSpec } from '../config/types.js';

/** A cron pattern as systemd's `OnCalendar=`, or why it has no equal there. */
export type Calendar = { ok: true; value: string } | { ok: false; reason: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

type FieldKind = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'weekday';

/** Where `*` starts when it is stepped (every n minutes from 0, every n days from 1). */
const FIRST: Record<FieldKind, number> = { second: 0, minute: 0, hour: 0, day: 1, month: 1, weekday: 0 };

/** A number of the field, names allowed for months (`jan`) and weekdays (`mon`, 0 and 7 both Sunday). */
function fieldValue(text: string, kind: FieldKind): number | undefined {
  const lower = text.toLowerCase();
  if (kind === 'month' && MONTHS.includes(lower)) return MONTHS.indexOf(lower) + 1;
  if (kind === 'weekday') {
    const named = WEEKDAYS.findIndex((day) => day.toLowerCase() === lower);
    if (named >= 0) return named;
  }
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return kind === 'weekday' && value === 7 ? 0 : value;
}

/** One part of a list (`5`, `1-5`, `*\/15`, `10-50/5`) in systemd's syntax; undefined when it has none (L, W, #). */
function partOf(part: string, kind: FieldKind): string | undefined {
  const [range = '', step] = part.split('/');
  if (step !== undefined && !/^\d+$/.test(step)) return undefined;
  const show = (value: number) => (kind === 'weekday' ? WEEKDAYS[value]! : String(value));
  let text: string;
  if (range === '*' || range === '?') {
    if (step === undefined) return '*';
    // systemd repeats from a value; weekdays take no repetition.
    if (kind === 'weekday') return undefined;
    return `${FIRST[kind]}/${step}`;
  }
  const bounds = range.split('-');
  if (bounds.length > 2) return undefined;
  const values = bounds.map((bound) => fieldValue(bound, kind));
  if (values.some((value) => value === undefined)) return undefined;
  const [from, to] = values as number[];
  if (to === undefined) text = show(from!);
  else if (kind === 'weekday' && to < from!) return undefined;
  else text = `${show(from!)}..${show(to)}`;
  if (step === undefined) return text;
  return kind === 'weekday' ? undefined : `${text}/${step}`;
}

function fieldOf(text: string, kind: FieldKind): string | undefined {
  const parts = text.split(',').map((part) => partOf(part, kind));
  if (parts.some((part) => part === undefined)) return undefined;
  return parts.includes('*') ? '*' : parts.join(',');
}

const restricted = (field: string): boolean => field !== '*' && field !== '?';

/**
 * `cron_restart`'s pattern (5 fields, or 6 with seconds first) and zone as `OnCalendar=`. Cron runs when either the
 * day of the month or the weekday matches if both are given; systemd needs both, so such a pattern has no equal.
 */
export function onCalendar(cron: CronSpec): Calendar {
  const fields = cron.pattern.trim().split(/\s+/);
  const [second, minute, hour, day, month, weekday] = fields.length === 6 ? fields : ['0', ...fields];
  if (restricted(day!) && restricted(weekday!))
    return { ok: false, reason: 'cron runs when the day or the weekday matches; systemd would need both' };
  const kinds: [string, FieldKind][] = [
    [second!, 'second'],
    [minute!, 'minute'],
    [hour!, 'hour'],
    [day!, 'day'],
    [month!, 'month'],
    [weekday!, 'weekday'],
  ];
  const converted = kinds.map(([text, kind]) => fieldOf(text, kind));
  if (converted.some((field) => field === undefined))
    return { ok: false, reason: `systemd has no form for ${cron.pattern} (L, W, # or a stepped weekday)` };
  const [s, mi, h, d, mo, w] = converted as string[];
  const weekdays = w === '*' ? '' : `${w} `;
  const zone = cron.timezone === null ? '' : ` ${cron.timezone}`;
  return { ok: true, value: `${weekdays}*-${mo}-${d} ${h}:${mi}:${s}${zone}` };
}
