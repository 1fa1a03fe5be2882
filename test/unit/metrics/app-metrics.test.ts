import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import { collectMetrics } from '../../../src/metrics/collect.js';
import { formatPrometheus } from '../../../src/metrics/prometheus.js';
import { describeMetrics } from '../../../src/probe/describe-metrics.js';

function view(id: number, metrics: Record<string, number> | null, overrides: Partial<ProcessView> = {}): ProcessView {
  return {
    id,
    name: 'api',
    namespace: 'default',
    instance: id,
    mode: 'fork',
    pid: 100 + id,
    status: 'online',
    restarts: 0,
    unstable_restarts: 0,
    uptime_ms: 0,
    cpu: 0,
    memory: 0,
    exit_code: null,
    exit_signal: null,
    restart_reason: null,
    error: null,
    created_at: 0,
    status_since: 0,
    next_restart_at: null,
    pm_out_log_path: null,
    pm_err_log_path: null,
    script: '/srv/app.js',
    args: [],
    interpreter: null,
    interpreter_args: [],
    cwd: '/srv',
    user: 'me',
    version: null,
    watch: false,
    metrics,
    ...overrides,
  };
}

const runtime = {
  event_loop_delay_p50_ms: 0.117,
  event_loop_delay_p99_ms: 3.5,
  event_loop_delay_max_ms: 12,
  active_handles: 2,
  active_requests: 1,
  heap_used_bytes: 5_000_000,
  heap_total_bytes: 8_000_000,
  gc_ms: 1.5,
  gc_count: 2,
};

function scrape(processes: ProcessView[]): ReturnType<typeof parsePrometheusTextFormat> {
  return parsePrometheusTextFormat(formatPrometheus(collectMetrics({ processes })));
}

describe('/metrics from the in-app probes', () => {
  it('exposes event-loop delay by quantile in seconds, heap, handles and GC, labelled by app, instance and id', () => {
    const families = scrape([view(0, runtime), view(1, null, { name: 'py' })]);
    const loop = families.find((f) => f.name === 'tend_app_event_loop_delay_seconds')!;
    expect(loop.metrics).toEqual([
      { labels: { app: 'api', instance: '0', id: '0', quantile: '0.5' }, value: '0.000117' },
      { labels: { app: 'api', instance: '0', id: '0', quantile: '0.99' }, value: '0.0035' },
      { labels: { app: 'api', instance: '0', id: '0', quantile: '1' }, value: '0.012' },
    ]);
    const value = (name: string): string | undefined => families.find((f) => f.name === name)?.metrics[0]?.value;
    expect(value('tend_app_heap_used_bytes')).toBe('5000000');
    expect(value('tend_app_heap_total_bytes')).toBe('8000000');
    expect(value('tend_app_active_handles')).toBe('2');
    expect(value('tend_app_active_requests')).toBe('1');
    expect(value('tend_app_gc_seconds')).toBe('0.0015');
  });

  it('exposes each custom metric as a tend_custom_ gauge, and merges names that clean up to the same one', () => {
    const families = scrape([
      view(0, { ...runtime, 'custom.requests': 10, 'custom.db.latency.p99': 4, 'custom.db_latency_p99': 5 }),
      view(1, { 'custom.requests': 3 }),
      view(2, { 'custom.requests': 99 }, { status: 'stopped' }),
    ]);
    const requests = families.find((f) => f.name === 'tend_custom_requests')!;
    expect(requests.type).toBe('GAUGE');
    expect(requests.metrics.map((m) => [m.labels?.id, m.value])).toEqual([
      ['0', '10'],
      ['1', '3'],
    ]);
    const latency = families.filter((f) => f.name === 'tend_custom_db_latency_p99');
    expect(latency).toHaveLength(1);
    expect(latency[0]!.metrics).toHaveLength(1);
  });

  it('adds no family when no process has a probe', () => {
    const names = scrape([view(0, null)]).map((f) => f.name);
    expect(names.some((n) => n.startsWith('tend_app_') || n.startsWith('tend_custom_'))).toBe(false);
    expect(names).toContain('tend_process_up');
  });
});

describe('the metrics section of tend show', () => {
  it("puts the runtime figures in words, then the app's own by name", () => {
    expect(describeMetrics({ ...runtime, 'custom.requests': 10, 'custom.ratio': 0.33333 })).toEqual([
      ['event loop delay', 'p50 0.12 ms, p99 3.5 ms, max 12 ms'],
      ['heap', '4.8 MiB used of 7.6 MiB'],
      ['active handles', '2'],
      ['active requests', '1'],
      ['gc', '1.5 ms in the last second (2 collections)'],
      ['ratio', '0.333'],
      ['requests', '10'],
    ]);
  });
});
