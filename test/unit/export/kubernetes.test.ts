import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportKubernetes, memoryQuantity } from '../../../src/export/kubernetes.js';
import type { SpecOverrides } from '../../fixtures/specs.js';
import { app, desired, OPTIONS } from './helpers.js';

// kubernetes-models 4.x ships CommonJS only; its validate() checks an object against the official OpenAPI schema.
const { Deployment } = require('kubernetes-models/apps/v1');
const { Service } = require('kubernetes-models/v1');
const { CronJob } = require('kubernetes-models/batch/v1');
const MODELS: Record<string, new (data: unknown) => { validate(): void }> = { Deployment, Service, CronJob };

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read only by assertions
type Obj = Record<string, any>;

/** Each file's documents as objects, every one validated against its Kubernetes schema. */
function objects(result: ReturnType<typeof exportKubernetes>): Obj[] {
  return result.files.flatMap((file) =>
    parseAllDocuments(file.text).map((doc) => {
      const object = doc.toJS() as Obj;
      new MODELS[object.kind]!(object).validate();
      return object;
    }),
  );
}

const container = (object: Obj): Obj => object.spec.template.spec.containers[0];

describe('exportKubernetes', () => {
  it('writes a Deployment per app with replicas, command, folder, env, memory limit and labels, valid by schema', () => {
    const result = exportKubernetes(
      desired(
        app('api', {
          instances: 3,
          run: { env: { GREETING: 'hi', PATH: '/usr/bin' }, args: ['--fast'] },
          envSources: { GREETING: 'env', PATH: 'base' },
          policy: { maxMemoryRestartBytes: 200 * 1024 * 1024, killTimeoutMs: 5000 },
        }),
      ),
      OPTIONS,
    );
    const [deployment] = objects(result);
    expect(result.files.map((file) => file.name)).toEqual(['api.yaml']);
    expect(deployment).toMatchObject({ kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 3 } });
    expect(deployment!.metadata.labels).toEqual({ app: 'api', 'tend/project': 'shop' });
    expect(deployment!.spec.selector.matchLabels).toEqual(deployment!.spec.template.metadata.labels);
    expect(deployment!.spec.template.spec.terminationGracePeriodSeconds).toBe(5);
    expect(container(deployment!)).toMatchObject({
      image: 'node:20-slim',
      command: ['node', '/app/api.js', '--fast'],
      workingDir: '/app',
      env: [{ name: 'GREETING', value: 'hi' }],
      resources: { limits: { memory: '200Mi' } },
    });
  });

  it.each([
    ['PORT 3000', { PORT: '3000' }, ['Deployment', 'Service']],
    ['no PORT', {}, ['Deployment']],
    ['a PORT that is not a port', { PORT: 'auto' }, ['Deployment']],
  ])('with %s writes %j', (_what, env, kinds) => {
    const result = exportKubernetes(desired(app('api', { run: { env } })), OPTIONS);
    const docs = objects(result);
    expect(docs.map((doc) => doc.kind)).toEqual(kinds);
    if (kinds.includes('Service')) expect(docs[1]!.spec.ports).toEqual([expect.objectContaining({ port: 3000 })]);
  });

  it('turns an app that only runs on cron_restart into a CronJob, and reports the seconds it cannot keep', () => {
    const job = app('report', {
      policy: { autorestart: false, cronRestart: { pattern: '15 0 3 * * *', timezone: 'Europe/Paris' } },
    });
    const result = exportKubernetes(desired(job), OPTIONS);
    const [cron] = objects(result);
    expect(cron).toMatchObject({
      kind: 'CronJob',
      spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Replace' },
    });
    expect(cron!.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect(result.lossy).toContainEqual(expect.objectContaining({ app: 'report', key: 'cron_restart' }));
  });

  it('maps ready: and health: to probes; a log check is reported, not written', () => {
    const result = exportKubernetes(
      desired(
        app('api', {
          policy: {
            ready: {
              probe: { kind: 'http', port: 80, path: '/ready', status: [] },
              intervalMs: 500,
              timeoutMs: 2000,
              threshold: 2,
            },
            health: {
              probe: { kind: 'exec', command: 'test -f /tmp/ok' },
              intervalMs: 10_000,
              timeoutMs: 1500,
              failures: 4,
              startPeriodMs: 20_000,
            },
          },
        }),
        app('worker', {
          policy: {
            health: {
              probe: { kind: 'log', pattern: 'alive' },
              intervalMs: 5000,
              timeoutMs: 2000,
              failures: 3,
              startPeriodMs: 0,
            },
          },
        }),
      ),
      OPTIONS,
    );
    const [api, worker] = objects(result);
    expect(container(api!).readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 80 },
      periodSeconds: 1,
      timeoutSeconds: 2,
      successThreshold: 2,
    });
    expect(container(api!).livenessProbe).toEqual({
      exec: { command: ['/bin/sh', '-c', 'test -f /tmp/ok'] },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 4,
      initialDelaySeconds: 20,
    });
    expect(container(worker!).livenessProbe).toBeUndefined();
    expect(result.lossy).toContainEqual(expect.objectContaining({ app: 'worker', key: 'health.log' }));
  });

  it('gives a name Kubernetes refuses a DNS label, and says so in the report and in the file', () => {
    const result = exportKubernetes(desired(app('My_API')), OPTIONS);
    const [deployment] = objects(result);
    expect(deployment!.metadata.name).toBe('my-api');
    expect(result.files[0]!.name).toBe('my-api.yaml');
    expect(result.lossy).toContainEqual(expect.objectContaining({ app: 'My_API', key: 'name' }));
    expect(result.files[0]!.text).toMatch(/^# not carried over from My_API:\n(#.*\n)*#\s+name: /m);
  });

  it.each<[string, SpecOverrides]>([
    ['watch', { policy: { watch: { paths: ['/srv/shop'], ignore: [], delayMs: 0 } } }],
    ['exp_backoff_restart_delay', { policy: { expBackoffRestartDelayMs: 100 } }],
    ['restart_delay', { policy: { restartDelayMs: 2000 } }],
    ['kill_signal', { policy: { killSignal: 'SIGINT' as NodeJS.Signals } }],
    ['stop_exit_codes', { policy: { stopExitCodes: [0] } }],
    ['autorestart', { policy: { autorestart: false } }],
    ['max_restarts', { policy: { maxRestarts: 3 } }],
    ['depends_on', { dependsOn: [{ app: 'db', condition: 'started' as const, restart: false }] }],
    ['image', {}],
  ])('reports %s as lost', (key, overrides) => {
    const result = exportKubernetes(
      desired(app('api', { ...overrides, policy: { killSignal: 'SIGTERM', ...overrides.policy } })),
      key === 'image' ? { ...OPTIONS } : { ...OPTIONS, image: 'registry.example/api:1' },
    );
    expect(result.lossy.map((field) => field.key)).toEqual([key]);
  });

  it('loses nothing for a plain app with --image and SIGTERM', () => {
    const result = exportKubernetes(desired(app('api', { policy: { killSignal: 'SIGTERM' } })), {
      ...OPTIONS,
      image: 'registry.example/api:1',
    });
    expect(result.lossy).toEqual([]);
    expect(container(objects(result)[0]!).image).toBe('registry.example/api:1');
  });

  it('moves paths under the app folder to /app, and reports a script outside it, kept where it is', () => {
    const result = exportKubernetes(
      desired(app('redis', { run: { script: '/usr/bin/redis-server', interpreter: null, cwd: '/srv/shop/data' } })),
      { ...OPTIONS, image: 'redis:7' },
    );
    expect(container(objects(result)[0]!)).toMatchObject({
      command: ['/usr/bin/redis-server'],
      workingDir: '/app/data',
    });
    expect(result.lossy).toEqual([
      expect.objectContaining({ key: 'script' }),
      expect.objectContaining({ key: 'kill_signal' }),
    ]);
  });

  it('scales an app registered stopped (autostart: false) to 0 replicas', () => {
    const [deployment] = objects(exportKubernetes(desired(app('api', { autostart: false })), OPTIONS));
    expect(deployment!.spec.replicas).toBe(0);
  });

  it.each([
    [200 * 1024 * 1024, '200Mi'],
    [1024 * 1024 * 1024, '1024Mi'],
    [1_000_000, '1000000'],
  ])('writes %d bytes as %s', (bytes, quantity) => {
    expect(memoryQuantity(bytes)).toBe(quantity);
  });
});
