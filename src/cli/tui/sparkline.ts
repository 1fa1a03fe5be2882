const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The values a sparkline's lowest and highest bar stand for. */
export interface SparkRange {
  low: number;
  high: number;
}

/**
 * The last `width` values as bars between `range.low` (▁) and `range.high` (█); by default from 0
 * to the largest value shown. Short histories are padded on the left, so the newest sample is
 * always at the right edge.
 */
export function sparkline(values: readonly number[], width: number, range?: SparkRange): string {
  if (width <= 0) return '';
  const shown = values.slice(-width).map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const { low, high } = range ?? { low: 0, high: Math.max(0, ...shown) };
  const bars = shown.map((v) => {
    if (high <= low || v <= low) return BARS[0];
    const index = Math.ceil(((v - low) / (high - low)) * BARS.length) - 1;
    return BARS[Math.min(BARS.length - 1, Math.max(0, index))];
  });
  return ' '.repeat(width - shown.length) + bars.join('');
}

/** CPU in percent from 0, with a floor so a process idling at 0.3% draws flat instead of filling the box. */
export function cpuRange(values: readonly number[], floor = 5): SparkRange {
  return { low: 0, high: Math.max(floor, ...values.filter(Number.isFinite)) };
}

/**
 * Memory around what was seen: steady memory draws at half height and a leak climbs visibly,
 * where a scale from 0 would draw every sample as a full bar.
 */
export function memoryRange(values: readonly number[]): SparkRange {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return { low: 0, high: 0 };
  return { low: Math.min(...positive) * 0.75, high: Math.max(...positive) * 1.25 };
}
