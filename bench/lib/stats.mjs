// Medians, ranges and the goal check: what the table shows for each row.

/** A measurement that stopped at a time limit: the true value is at least this. */
export class AtLeast {
  constructor(value) {
    this.value = value;
  }
}

/** Median, min and max of a row's samples; `atLeast` says some sample hit its time limit. */
export function summarise(samples) {
  if (!samples || samples.length === 0) return null;
  const values = samples.map((s) => (s instanceof AtLeast ? s.value : s)).sort((a, b) => a - b);
  const mid = Math.floor(values.length / 2);
  const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  return {
    median,
    min: values[0],
    max: values[values.length - 1],
    n: values.length,
    atLeast: samples.some((s) => s instanceof AtLeast),
  };
}

/** How a number of a given unit reads in the table. */
export function formatValue(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'ms':
      return value >= 10_000
        ? `${(value / 1000).toFixed(1)} s`
        : value >= 100
          ? `${Math.round(value)} ms`
          : `${value.toFixed(1)} ms`;
    case 'MiB':
      return `${value.toFixed(1)} MiB`;
    case '%':
      return `${value.toFixed(2)} %`;
    case 'req/s':
      return `${Math.round(value)}`;
    default:
      return `${Math.round(value)}`;
  }
}

/** "median (min–max)" for a summary, or the reason the tool failed. */
export function formatCell(summary, unit, failure) {
  if (failure && !summary) return `failed: ${failure}`;
  if (!summary) return '—';
  const prefix = summary.atLeast ? '> ' : '';
  const median = `${prefix}${formatValue(summary.median, unit)}`;
  if (summary.n === 1 || summary.min === summary.max) return median;
  return `${median} (${formatValue(summary.min, unit)}–${formatValue(summary.max, unit)})`;
}

/** a/b as "0.52×", or — when either side is missing or zero. */
export function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

export function formatRatio(r) {
  return r === null ? '—' : `${r.toFixed(2)}×`;
}
