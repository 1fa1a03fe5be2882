import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import { collectMetrics } from '../../../src/metrics/collect.js';
import { processMetrics } from '../../../src/metrics/process-metrics.js';
import {
  escapeLabelValue,
  formatPrometheus,
  sanitizeMetricName,
  type MetricFamily,
} from '../../../src/metrics/prometheus.js';

function view(overrides: Partial<ProcessView>): ProcessView {
  return {
    id: 0,
    name: 'api',
    namespace: 'default',
    instance: 0,
    mode: 'fork',
    pid: 100,
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
    ...overrides,
  };
}

describe('Prometheus text format', () => {
  it('writes HELP and TYPE before the samples, and a real parser reads the values back', () => {
    const families: MetricFamily[] = [
      {
        name: 'tend_x',
        help: 'An x.',
        type: 'gauge',
        samples: [
          { labels: { app: 'a' }, value: 1.5 },
          { labels: { app: 'b' }, value: 0 },
        ],
      },
      { name: 'tend_y_total', help: 'A y.', type: 'counter', samples: [{ labels: {}, value: 7 }] },
    ];
    const text = formatPrometheus(families);
    expect(text.split('\n').slice(0, 3)).toEqual(['# HELP tend_x An x.', '# TYPE tend_x gauge', 'tend_x{app="a"} 1.5']);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parsePrometheusTextFormat(text);
    expect(parsed.map((f) => [f.name, f.type])).toEqual([
      ['tend_x', 'GAUGE'],
      ['tend_y_total', 'COUNTER'],
    ]);
    expect(parsed[0]!.metrics).toEqual([
      { labels: { app: 'a' }, value: '1.5' },
      { labels: { app: 'b' }, value: '0' },
    ]);
    expect(parsed[1]!.metrics[0]!.value).toBe('7');
  });

  it('escapes backslash, double quote and newline in label values, and the parser gets the original back', () => {
    const nasty = 'we\\ird "app"\nname';
    expect(escapeLabelValue(nasty)).toBe('we\\\\ird \\"app\\"\\nname');
    const text = formatPrometheus([
      { name: 'm', help: 'line one\nline \\two', type: 'gauge', samples: [{ labels: { app: nasty }, value: 1 }] },
    ]);
    expect(text).toContain('# HELP m line one\\nline \\\\two\n');
    const [family] = parsePrometheusTextFormat(text);
    expect(family!.help).toBe('line one\nline \\two');
    expect(family!.metrics[0]!.labels).toEqual({ app: nasty });
  });

  it('writes NaN and infinities the way Go parses them', () => {
    const text = formatPrometheus([
      {
        name: 'v',
        help: 'h',
        type: 'untyped',
        samples: [NaN, Infinity, -Infinity].map((value, i) => ({ labels: { i: String(i) }, value })),
      },
    ]);
    expect(text).toContain('v{i="0"} NaN\nv{i="1"} +Inf\nv{i="2"} -Inf\n');
    expect(parsePrometheusTextFormat(text)[0]!.metrics.map((m) => m.value)).toEqual(['NaN', '+Inf', '-Inf']);
  });

  it('refuses invalid metric and label names, and a family named twice', () => {
    expect(() => formatPrometheus([{ name: '1bad', help: '', type: 'gauge', samples: [] }])).toThrow(/metric name/);
    expect(() =>
      formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'a-b': 'x' }, value: 1 }] }]),
    ).toThrow(/label name/);
    expect(() =>
      formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { __name__: 'x' }, value: 1 }] }]),
    ).toThrow(/label name/);
    const family: MetricFamily = { name: 'twice', help: '', type: 'gauge', samples: [] };
    expect(() => formatPrometheus([family, family])).toThrow(/twice/);
  });

  it('turns any custom name into a valid metric name', () => {
    expect(sanitizeMetricName('http.requests-per sec')).toBe('http_requests_per_sec');
    expect(sanitizeMetricName('5xx')).toBe('_5xx');
    expect(sanitizeMetricName('')).toBe('_');
    expect(sanitizeMetricName('a:b_c9')).toBe('a:b_c9');
  });
});

describe('per-process metrics', () => {
  const processes = [
    view({
      id: 0,
      name: 'api',
      instance: 0,
      status: 'online',
      restarts: 3,
      uptime_ms: 12_500,
      cpu: 12.5,
      memory: 50_000_000,
    }),
    view({
      id: 4,
      name: 'a "quoted"\\app',
      instance: 1,
      status: 'errored',
      restarts: 16,
      uptime_ms: 0,
      cpu: 9,
      memory: 1234,
      pid: null,
    }),
  ];
  const parsed = parsePrometheusTextFormat(formatPrometheus(collectMetrics({ processes }, [processMetrics])));
  const family = (name: string) => parsed.find((f) => f.name === name)!;

  it('exposes up, status, restarts, uptime, cpu and memory with HELP and the right TYPE', () => {
    expect(parsed.map((f) => `${f.name} ${f.type}`)).toEqual([
      'tend_process_up GAUGE',
      'tend_process_status GAUGE',
      'tend_process_restarts_total COUNTER',
      'tend_process_uptime_seconds GAUGE',
      'tend_process_cpu_percent GAUGE',
      'tend_process_memory_bytes GAUGE',
    ]);
    for (const f of parsed) expect(f.help.length).toBeGreaterThan(10);
  });

  it('labels every sample with app, instance and id, escaped names included', () => {
    expect(family('tend_process_up').metrics).toEqual([
      { labels: { app: 'api', instance: '0', id: '0' }, value: '1' },
      { labels: { app: 'a "quoted"\\app', instance: '1', id: '4' }, value: '0' },
    ]);
    expect(family('tend_process_restarts_total').metrics.map((m) => m.value)).toEqual(['3', '16']);
    expect(family('tend_process_uptime_seconds').metrics[0]!.value).toBe('12.5');
  });

  it('has one status sample per state, 1 on the current one', () => {
    const errored = family('tend_process_status').metrics.filter((m) => m.labels!.id === '4');
    expect(errored).toHaveLength(6);
    expect(errored.filter((m) => m.value === '1').map((m) => m.labels!.status)).toEqual(['errored']);
  });

  it('reports no CPU or memory for a process that is not online (no stale last sample)', () => {
    expect(family('tend_process_cpu_percent').metrics.map((m) => m.value)).toEqual(['12.5', '0']);
    expect(family('tend_process_memory_bytes').metrics.map((m) => m.value)).toEqual(['50000000', '0']);
  });

  it("takes extra sources after the built-in ones (the probe's extension point)", () => {
    const extra = () => [
      {
        name: 'tend_app_event_loop_delay_seconds',
        help: 'p99',
        type: 'gauge' as const,
        samples: [{ labels: { app: 'api' }, value: 0.002 }],
      },
    ];
    const names = collectMetrics({ processes }, [processMetrics, extra]).map((f) => f.name);
    expect(names.at(-1)).toBe('tend_app_event_loop_delay_seconds');
  });
});
