import { describe, expect, test } from 'vitest';
import type { DependencyCondition } from '../../../src/config/types.js';
import { type DependencyInstance, dependencyMet } from '../../../src/daemon/dependency-condition.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';
import { makeSpec } from '../../fixtures/specs.js';

const http = { kind: 'http' as const, port: 3000, path: '/health', status: [] };
const plain = makeSpec('db');
const withReady = makeSpec('db', {
  policy: { ready: { probe: http, intervalMs: 500, timeoutMs: 2000, threshold: 1 } },
});
const withHealth = makeSpec('db', {
  policy: {
    ready: { probe: http, intervalMs: 500, timeoutMs: 2000, threshold: 1 },
    health: { probe: http, intervalMs: 1000, timeoutMs: 2000, failures: 3, startPeriodMs: 0 },
  },
});

function instance(
  spec: DependencyInstance['spec'],
  status: ProcessStatus,
  readyAt: number | null,
  liveness: DependencyInstance['liveness'] = 'unknown',
): DependencyInstance {
  return { spec, status, readyAt, liveness };
}

describe('depends_on conditions (what started, ready and healthy mean)', () => {
  test.each<[string, DependencyInstance, DependencyCondition, boolean]>([
    ['launching is not started', instance(plain, 'launching', null), 'started', false],
    ['online is started', instance(withReady, 'online', null), 'started', true],
    ['an app that cannot signal is ready once online', instance(plain, 'online', null), 'ready', true],
    ['ready: not passed yet', instance(withReady, 'online', null), 'ready', false],
    ['ready: passed', instance(withReady, 'online', 1), 'ready', true],
    ['no health check: healthy once ready', instance(withReady, 'online', 1), 'healthy', true],
    ['health check not run yet', instance(withHealth, 'online', 1, 'unknown'), 'healthy', false],
    ['health check passing', instance(withHealth, 'online', 1, 'passing'), 'healthy', true],
    ['health check failing', instance(withHealth, 'online', 1, 'failing'), 'healthy', false],
    [
      'passing but not ready any more (restarting)',
      instance(withHealth, 'waiting-restart', 1, 'passing'),
      'healthy',
      false,
    ],
  ])('%s', (_, p, condition, met) => {
    expect(dependencyMet(p, condition)).toBe(met);
  });
});
