import { Document, type Scalar, type YAMLMap } from 'yaml';
import type { CheckProbe, LivenessSpec, ReadinessSpec } from '../config/check-types.js';
import type { AppSpec, DesiredState } from '../config/types.js';
import {
  appPort,
  CONTAINER_APP_DIR,
  composeDuration,
  containerCommand,
  exportedEnv,
  imageOf,
  type Runtime,
  runtimeOf,
} from './app-facts.js';
import { commonLossy, LossyReport, lossyComment } from './lossy.js';
import { composeServiceName } from './names.js';
import type { ExportOptions, ExportResult } from './types.js';
import { YAML_OPTIONS } from './yaml-options.js';

type ComposeService = Record<string, unknown>;

/** The file `tend export compose -o DIR` writes: the name `docker compose` looks for. */
export const COMPOSE_FILE = 'docker-compose.yml';

/**
 * The docker compose form of an ecosystem: one service per app, the app's folder mounted at /app so the default image
 * runs it as it is, `deploy.replicas` = instances.
 */
export function exportCompose(desired: DesiredState, options: ExportOptions): ExportResult {
  const report = new LossyReport();
  const names = new Map(desired.apps.map((app) => [app.name, composeServiceName(app.name)]));
  const services: Record<string, ComposeService> = {};
  for (const app of desired.apps) services[names.get(app.name)!] = service(app, desired, names, options, report);
  const doc = new Document({ services: escapeInterpolation(services) }, YAML_OPTIONS);
  doc.commentBefore = [
    `tend export compose ${options.sourceLabel}`,
    `each app's folder is mounted at ${CONTAINER_APP_DIR}; the image is chosen by interpreter unless --image names one`,
  ]
    .map((line) => ` ${line}`)
    .join('\n');
  // Each service's lossy fields right above it, where a reader of that service looks.
  const serviceMap = doc.get('services') as YAMLMap<Scalar, unknown>;
  for (const app of desired.apps) {
    const comment = lossyComment(app.name, report.fields);
    const pair = serviceMap.items.find((item) => item.key.value === names.get(app.name));
    if (pair && comment.length > 0) pair.key.commentBefore = comment.map((line) => ` ${line}`).join('\n');
  }
  return { files: [{ name: COMPOSE_FILE, text: doc.toString({ lineWidth: 0 }) }], lossy: report.fields };
}

function service(
  app: AppSpec,
  desired: DesiredState,
  names: Map<string, string>,
  options: ExportOptions,
  report: LossyReport,
): ComposeService {
  commonLossy(
    app,
    options.home,
    {
      engine: 'docker compose',
      logsGoTo: 'docker logs',
      instanceIndex: false,
      restartLimit: 'docker restarts a crashing container for ever, with a growing delay; never errored',
    },
    report,
  );
  const { run, policy } = app;
  const serviceName = names.get(app.name)!;
  if (serviceName !== app.name)
    report.add(app, 'name', `compose service names are letters, digits, ._-: ${serviceName}`);
  const placed = containerCommand(app, options.projectDir);
  for (const { key, path } of placed.outside)
    report.add(app, key, `${path} is outside the app's folder: only the folder is mounted`);
  if (policy.cronRestart !== undefined)
    report.add(app, 'cron_restart', 'docker compose runs nothing on a schedule; the schedule is left out');
  if (policy.restartDelayMs > 0)
    report.add(app, 'restart_delay', 'docker restarts with its own delay (100 ms, doubling), not restart_delay');

  const env = exportedEnv(app);
  const port = appPort(app);
  if (port !== undefined && app.instances > 1)
    report.add(app, 'port', `${app.instances} replicas cannot share host port ${port}: each gets a free one`);
  return {
    image: imageOf(app, options.image),
    command: placed.command,
    working_dir: placed.workingDir,
    volumes: [`${options.projectDir}:${CONTAINER_APP_DIR}`],
    ...(Object.keys(env).length > 0 ? { environment: env } : {}),
    ...(port === undefined ? {} : { ports: [app.instances > 1 ? `${port}` : `${port}:${port}`] }),
    restart: restartPolicy(app, report),
    deploy: { replicas: app.autostart ? app.instances : 0 },
    ...(policy.maxMemoryRestartBytes === null ? {} : { mem_limit: policy.maxMemoryRestartBytes }),
    ...(run.uid === undefined ? {} : { user: run.gid === undefined ? `${run.uid}` : `${run.uid}:${run.gid}` }),
    stop_signal: policy.killSignal,
    stop_grace_period: composeDuration(policy.killTimeoutMs),
    ...healthcheck(app, report),
    ...dependsOn(app, desired, names, report),
    labels: { 'tend.app': app.name, 'tend.project': options.project },
  };
}

/** tend restarts unless the exit code is in stop_exit_codes; docker knows "always", "on-failure" (not 0) and "no". */
function restartPolicy(app: AppSpec, report: LossyReport): string {
  const { policy } = app;
  if (!policy.autorestart) return 'no';
  if (policy.stopExitCodes.length === 0) return 'unless-stopped';
  if (policy.stopExitCodes.length > 1 || policy.stopExitCodes[0] !== 0)
    report.add(app, 'stop_exit_codes', 'docker can only leave exit code 0 alone ("on-failure"); other codes restart');
  return 'on-failure';
}

/**
 * compose has one healthcheck and does not restart an unhealthy container: the liveness check is used when there is
 * one (it is what `docker ps` should say), else the readiness check, which `depends_on: service_healthy` waits for.
 */
function healthcheck(app: AppSpec, report: LossyReport): ComposeService {
  const { ready, health } = app.policy;
  if (health !== undefined && health.probe.kind !== 'log')
    report.add(app, 'health', 'docker compose marks the container unhealthy but does not restart it');
  if (ready !== undefined && health !== undefined && health.probe.kind !== 'log')
    report.add(app, 'ready', 'compose has one healthcheck per service: `health:` is used');
  const check = health !== undefined && health.probe.kind !== 'log' ? health : ready;
  if (check === undefined) return {};
  const test = checkCommand(check.probe, runtimeOf(app));
  if (test === undefined) return {};
  if (check.probe.kind === 'http' && check.probe.status.length > 0)
    report.add(app, `${'threshold' in check ? 'ready' : 'health'}.http.status`, 'any status below 400 passes');
  const liveness = check as Partial<LivenessSpec> & ReadinessSpec;
  return {
    healthcheck: {
      test,
      interval: composeDuration(check.intervalMs),
      timeout: composeDuration(check.timeoutMs),
      retries: liveness.failures ?? 1,
      ...(liveness.startPeriodMs ? { start_period: composeDuration(liveness.startPeriodMs) } : {}),
    },
  };
}

/** Whether an app has a check compose can run: what `service_healthy` needs of a dependency. */
function hasHealthcheck(app: AppSpec): boolean {
  return [app.policy.ready, app.policy.health].some((check) => check !== undefined && check.probe.kind !== 'log');
}

/**
 * A check as a command inside the container. An HTTP or TCP check runs on the image's own runtime (the slim images
 * have no curl); on another image it needs curl or bash there.
 */
export function checkCommand(probe: CheckProbe, runtime: Runtime): string[] | undefined {
  switch (probe.kind) {
    case 'exec':
      return ['CMD-SHELL', probe.command];
    case 'log':
      return undefined;
    case 'http': {
      const url = `http://127.0.0.1:${probe.port}${probe.path}`;
      if (runtime === 'node')
        return [
          'CMD',
          'node',
          '-e',
          `fetch(${JSON.stringify(url)}).then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))`,
        ];
      if (runtime === 'python')
        return ['CMD', 'python3', '-c', `import urllib.request; urllib.request.urlopen(${JSON.stringify(url)})`];
      return ['CMD', 'curl', '-fsS', '-o', '/dev/null', url];
    }
    case 'tcp':
      if (runtime === 'node')
        return [
          'CMD',
          'node',
          '-e',
          `require('net').connect(${probe.port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
        ];
      if (runtime === 'python')
        return ['CMD', 'python3', '-c', `import socket; socket.create_connection(('127.0.0.1', ${probe.port}), 5)`];
      return ['CMD', 'bash', '-c', `</dev/tcp/127.0.0.1/${probe.port}`];
  }
}

function dependsOn(
  app: AppSpec,
  desired: DesiredState,
  names: Map<string, string>,
  report: LossyReport,
): ComposeService {
  if (!app.dependsOn?.length) return {};
  const entries: Record<string, { condition: string }> = {};
  for (const dependency of app.dependsOn) {
    const target = desired.apps.find((other) => other.name === dependency.app);
    const wantsReady = dependency.condition !== 'started';
    const canWait = target !== undefined && hasHealthcheck(target);
    if (wantsReady && !canWait)
      report.add(
        app,
        `depends_on.${dependency.app}`,
        `${dependency.app} has no healthcheck compose can run: the app starts once it has started`,
      );
    if (dependency.restart)
      report.add(app, `depends_on.${dependency.app}.restart`, 'docker compose 1.x does not restart dependents');
    entries[names.get(dependency.app) ?? dependency.app] = {
      condition: wantsReady && canWait ? 'service_healthy' : 'service_started',
    };
  }
  return { depends_on: entries };
}

/** compose reads `$VAR` and `${VAR}` in every string; tend already did, so what is left is meant literally: `$$`. */
function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T;
  return value;
}
