import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** Sampling period of the event-loop delay histogram (ms); each sample is this long plus the delay. */
const LOOP_RESOLUTION_MS = 10;

/** Resource types that are requests (one operation in flight) rather than handles (something open). */
const REQUEST_TYPE = /Req(Wrap|Callback)?$|^(WriteWrap|ShutdownWrap)$/;

/** Counts what keeps the event loop busy, as PM2's "active handles" and "active requests"; unref'd ones (the probe's own) are not listed. */
export function countResources(types: readonly string[]): { handles: number; requests: number } {
  let requests = 0;
  for (const type of types) if (REQUEST_TYPE.test(type)) requests += 1;
  return { handles: types.length - requests, requests };
}

/** The nanosecond figures of the delay histogram, as milliseconds of delay beyond the sampling period. */
export function delayMs(nanoseconds: number): number {
  if (!Number.isFinite(nanoseconds)) return 0;
  return Math.max(0, Math.round((nanoseconds / 1e6 - LOOP_RESOLUTION_MS) * 1000) / 1000);
}

/**
 * The runtime's own figures, per interval: event-loop delay (p50, p99, max), active handles and requests,
 * heap used and total, time spent in GC. Nothing here keeps the process alive.
 */
export function startRuntimeMetrics(): { collect(): Record<string, number>; stop(): void } {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  let gcMs = 0;
  let gcCount = 0;
  let gc: PerformanceObserver | null = null;
  try {
    gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gcMs += entry.duration;
        gcCount += 1;
      }
    });
    gc.observe({ entryTypes: ['gc'] });
  } catch {
    gc = null;
  }
  return {
    collect() {
      const metrics: Record<string, number> = {};
      if (loop.count > 0) {
        metrics.event_loop_delay_p50_ms = delayMs(loop.percentile(50));
        metrics.event_loop_delay_p99_ms = delayMs(loop.percentile(99));
        metrics.event_loop_delay_max_ms = delayMs(loop.max);
      }
      loop.reset();
      const { handles, requests } = countResources(process.getActiveResourcesInfo());
      metrics.active_handles = handles;
      metrics.active_requests = requests;
      const heap = getHeapStatistics();
      metrics.heap_used_bytes = heap.used_heap_size;
      metrics.heap_total_bytes = heap.total_heap_size;
      metrics.gc_ms = Math.round(gcMs * 1000) / 1000;
      metrics.gc_count = gcCount;
      gcMs = 0;
      gcCount = 0;
      return metrics;
    },
    stop() {
      loop.disable();
      gc?.disconnect();
    },
  };
}
