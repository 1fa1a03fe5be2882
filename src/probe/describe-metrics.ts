/** Formats a number of milliseconds for people: 0.12 ms, 3.4 ms, 1.2 s. */
function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  return `${value >= 10 ? Math.round(value) : Math.round(value * 100) / 100} ms`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function plain(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** The `metrics` section of `tend show`: the runtime's figures in words, then the app's own by name. */
export function describeMetrics(m: Record<string, number>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (m.event_loop_delay_p50_ms !== undefined) {
    rows.push([
      'event loop delay',
      `p50 ${ms(m.event_loop_delay_p50_ms)}, p99 ${ms(m.event_loop_delay_p99_ms ?? 0)}, max ${ms(m.event_loop_delay_max_ms ?? 0)}`,
    ]);
  }
  if (m.heap_used_bytes !== undefined)
    rows.push(['heap', `${mib(m.heap_used_bytes)} used of ${mib(m.heap_total_bytes ?? 0)}`]);
  if (m.active_handles !== undefined) rows.push(['active handles', String(m.active_handles)]);
  if (m.active_requests !== undefined) rows.push(['active requests', String(m.active_requests)]);
  if (m.gc_ms !== undefined) rows.push(['gc', `${ms(m.gc_ms)} in the last second (${m.gc_count ?? 0} collections)`]);
  for (const key of Object.keys(m).sort()) {
    if (key.startsWith('custom.')) rows.push([key.slice('custom.'.length), plain(m[key]!)]);
  }
  return rows;
}
