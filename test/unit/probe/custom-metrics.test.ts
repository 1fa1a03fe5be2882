import { describe, expect, it } from 'vitest';
import { CustomMetrics } from '../../../src/probe/custom-metrics.js';
import { countResources, delayMs } from '../../../src/probe/runtime-metrics.js';

describe("an app's own metrics", () => {
  it('reports gauges, counters and histograms flat, by name', () => {
    const m = new CustomMetrics();
    let queue = 3;
    m.metric('queue', () => queue);
    m.metric('temperature').set(21.5);
    const jobs = m.counter('jobs');
    jobs.inc();
    jobs.inc(4);
    jobs.dec();
    const latency = m.histogram('latency_ms');
    for (const v of [10, 20, 30, 40]) latency.observe(v);
    expect(m.collect()).toEqual({
      queue: 3,
      temperature: 21.5,
      jobs: 4,
      'latency_ms.count': 4,
      'latency_ms.p50': 20,
      'latency_ms.p95': 40,
      'latency_ms.p99': 40,
      'latency_ms.max': 40,
    });
    queue = 5;
    // The next interval: gauges read again, counters keep their total, histograms start over.
    expect(m.collect()).toEqual({ queue: 5, temperature: 21.5, jobs: 4, 'latency_ms.count': 0 });
  });

  it('gives the same handle for the same name, so two modules share a counter', () => {
    const m = new CustomMetrics();
    m.counter('hits').inc();
    m.counter('hits').inc();
    expect(m.collect()).toEqual({ hits: 2 });
  });

  it('leaves out a gauge whose reader throws or returns something that is not a number', () => {
    const m = new CustomMetrics();
    m.metric('broken', () => {
      throw new Error('boom');
    });
    m.metric('text', () => 'abc' as unknown as number);
    m.metric('fine', () => 1);
    expect(m.collect()).toEqual({ fine: 1 });
  });

  it('runs actions and tells a missing action from one that failed', async () => {
    const changes: string[][] = [];
    const m = new CustomMetrics((names) => changes.push(names));
    m.action('echo', async (arg) => ({ got: arg }));
    m.action('fail', () => {
      throw new Error('nope');
    });
    expect(changes).toEqual([['echo'], ['echo', 'fail']]);
    expect(await m.run('echo', 'x')).toEqual({ ok: true, answer: { got: 'x' } });
    expect(await m.run('fail', undefined)).toEqual({ ok: false, error: 'nope' });
    expect(await m.run('other', undefined)).toEqual({
      ok: false,
      error: 'no action named `other`; this process has echo, fail',
      missing: true,
    });
  });
});

describe("the runtime's figures", () => {
  it('counts requests (operations in flight) apart from handles (things open)', () => {
    expect(
      countResources(['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'FSReqCallback', 'GetAddrInfoReqWrap', 'WriteWrap']),
    ).toEqual({ handles: 3, requests: 3 });
    expect(countResources([])).toEqual({ handles: 0, requests: 0 });
  });

  it('reports event-loop delay beyond the 10 ms sampling period, in milliseconds', () => {
    expect(delayMs(10_125_000)).toBe(0.125);
    expect(delayMs(60_000_000)).toBe(50);
    expect(delayMs(9_000_000)).toBe(0);
    expect(delayMs(NaN)).toBe(0);
  });
});
