/**
 * `name value` pairs for whatever metrics a process reports (the in-app probe adds them to the
 * process view as `metrics`); unknown shapes are flattened, so monit never needs to know each metric.
 */
export function metricPairs(metrics: unknown, prefix = ''): Array<[string, string]> {
  if (metrics === null || typeof metrics !== 'object') return [];
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(metrics as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') pairs.push([name, formatNumber(value)]);
    else if (typeof value === 'string' || typeof value === 'boolean') pairs.push([name, String(value)]);
    else if (typeof value === 'object' && 'value' in value) {
      const { value: inner, unit } = value as { value: unknown; unit?: unknown };
      const text = typeof inner === 'number' ? formatNumber(inner) : String(inner);
      pairs.push([name, typeof unit === 'string' && unit ? `${text}${unit}` : text]);
    } else if (typeof value === 'object' && !Array.isArray(value)) pairs.push(...metricPairs(value, name));
  }
  return pairs;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}
