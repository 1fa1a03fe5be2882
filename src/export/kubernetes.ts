import { Document } from 'yaml';
import type { CheckProbe, LivenessSpec, ReadinessSpec } from '../config/check-types.js';
import type { AppSpec, DesiredState } from '../config/types.js';
import { appPort, CONTAINER_APP_DIR, containerCommand, exportedEnv, imageOf, seconds } from './app-facts.js';
import { commonLossy, LossyReport, lossyComment } from './lossy.js';
import { dnsLabel, labelValue } from './names.js';
import type { ExportOptions, ExportResult } from './types.js';
import { YAML_OPTIONS } from './yaml-options.js';

type KubeObject = Record<string, unknown>;

/** The label key that carries the project: tend's own prefix, so it never clashes with the cluster's. */
export const PROJECT_LABEL = 'tend/project';

/** A CronJob's name must leave room for the 11 characters of its Jobs' suffix. */
const CRONJOB_NAME_MAX = 52;

/**
 * The Kubernetes form of an ecosystem: per app a Deployment (replicas = instances) and a Service when it has a port,
 * or a CronJob for an app that only runs on `cron_restart`. One file per app, each a multi-document YAML.
 */
export function exportKubernetes(desired: DesiredState, options: ExportOptions): ExportResult {
  const report = new LossyReport();
  const parts = desired.apps.map((app) => appObjects(app, options, report));
  const files = parts.map(({ name, app, objects }) => {
    const docs = objects.map((object, index) => {
      const doc = new Document(object, YAML_OPTIONS);
      if (index === 0) doc.commentBefore = commentLines(app, options, report).join('\n');
      return doc.toString({ lineWidth: 0 });
    });
    return { name: `${name}.yaml`, text: docs.join('---\n') };
  });
  return { files, lossy: report.fields };
}

function commentLines(app: AppSpec, options: ExportOptions, report: LossyReport): string[] {
  return [
    `app ${app.name}: tend export kubernetes ${options.sourceLabel}`,
    ...lossyComment(app.name, report.fields),
  ].map((line) => ` ${line}`);
}

function appObjects(
  app: AppSpec,
  options: ExportOptions,
  report: LossyReport,
): { name: string; app: AppSpec; objects: KubeObject[] } {
  commonLossy(
    app,
    options.home,
    {
      engine: 'Kubernetes',
      logsGoTo: 'the pod log',
      instanceIndex: false,
      restartLimit:
        'Kubernetes restarts a crashing pod for ever, with a growing delay (CrashLoopBackOff); never errored',
    },
    report,
  );
  const { policy } = app;
  const asCronJob = runsAsCronJob(app);
  const name = kubernetesName(app);
  if (name !== app.name) report.add(app, 'name', `Kubernetes names are DNS labels: named ${name}`);
  const labels: Record<string, string> = { app: name, [PROJECT_LABEL]: labelValue(options.project) };
  if (app.namespace !== 'default') labels['tend/namespace'] = labelValue(app.namespace);
  const metadata = { name, labels };
  const pod = podSpec(app, name, options, report);

  if (asCronJob) return { name, app, objects: [cronJob(app, metadata, pod, report)] };
  if (policy.cronRestart !== undefined)
    report.add(app, 'cron_restart', 'a Deployment is not restarted on a schedule; the schedule is left out');
  if (!policy.autorestart)
    report.add(app, 'autorestart', 'a Deployment always restarts its pods; run the app as a Job for one run');
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      // autostart: false registers the app stopped: no pod until it is scaled up.
      replicas: app.autostart ? app.instances : 0,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: pod },
    },
  };
  const port = appPort(app);
  if (port === undefined) return { name, app, objects: [deployment] };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { selector: labels, ports: [{ name: 'app', port, targetPort: port, protocol: 'TCP' }] },
  };
  return { name, app, objects: [deployment, service] };
}

/** An app that only runs on its schedule (`cron_restart` without autorestart) is a CronJob; any other a Deployment. */
function runsAsCronJob(app: AppSpec): boolean {
  return app.policy.cronRestart !== undefined && !app.policy.autorestart;
}

/** The name of the app's objects (and its file). */
export function kubernetesName(app: AppSpec): string {
  return dnsLabel(app.name, runsAsCronJob(app) ? CRONJOB_NAME_MAX : 63);
}

function cronJob(
  app: AppSpec,
  metadata: { name: string; labels: Record<string, string> },
  pod: KubeObject,
  report: LossyReport,
): KubeObject {
  const cron = app.policy.cronRestart!;
  const fields = cron.pattern.trim().split(/\s+/);
  let schedule = cron.pattern.trim();
  if (fields.length === 6) {
    // Kubernetes schedules by the minute: a seconds field of 0 is what it does anyway; any other is lost.
    if (fields[0] !== '0')
      report.add(app, 'cron_restart', `Kubernetes schedules by the minute: the seconds field ${fields[0]} is dropped`);
    schedule = fields.slice(1).join(' ');
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata,
    spec: {
      schedule,
      ...(cron.timezone === null ? {} : { timeZone: cron.timezone }),
      // tend's cron run restarts a run still going: the new Job replaces the old one.
      concurrencyPolicy: 'Replace',
      suspend: !app.autostart,
      jobTemplate: {
        spec: {
          parallelism: app.instances,
          completions: app.instances,
          template: { metadata: { labels: metadata.labels }, spec: { ...pod, restartPolicy: 'Never' } },
        },
      },
    },
  };
}

function podSpec(app: AppSpec, name: string, options: ExportOptions, report: LossyReport): KubeObject {
  const { run, policy } = app;
  if (options.image === undefined)
    report.add(
      app,
      'image',
      `an ecosystem file names no image: ${imageOf(app, undefined)} is used, which does not hold the app; build an image with its folder at ${CONTAINER_APP_DIR}, or pass --image`,
    );
  const placed = containerCommand(app, options.projectDir);
  for (const { key, path } of placed.outside)
    report.add(app, key, `${path} is outside the app's folder: the image must hold it at the same path`);
  if (policy.killSignal !== 'SIGTERM')
    report.add(
      app,
      'kill_signal',
      `Kubernetes stops a container with SIGTERM (or the image's STOPSIGNAL), not ${policy.killSignal}`,
    );
  if (policy.restartDelayMs > 0)
    report.add(app, 'restart_delay', 'the kubelet restarts with its own back-off (10 s, doubling to 5 min)');
  if (policy.stopExitCodes.length > 0)
    report.add(app, 'stop_exit_codes', 'a Deployment restarts its pods whatever their exit code');
  if (app.dependsOn?.length)
    report.add(
      app,
      'depends_on',
      'Kubernetes starts every Deployment at once: the app must wait for its dependencies itself (or an initContainer)',
    );

  const env = Object.entries(exportedEnv(app)).map(([envName, value]) => ({ name: envName, value }));
  const port = appPort(app);
  const container: KubeObject = {
    name,
    image: imageOf(app, options.image),
    command: placed.command,
    workingDir: placed.workingDir,
    ...(env.length > 0 ? { env } : {}),
    ...(port === undefined ? {} : { ports: [{ containerPort: port, protocol: 'TCP' }] }),
    ...(policy.maxMemoryRestartBytes === null
      ? {}
      : { resources: { limits: { memory: memoryQuantity(policy.maxMemoryRestartBytes) } } }),
    ...probeOf('readinessProbe', policy.ready, app, report),
    ...probeOf('livenessProbe', policy.health, app, report),
    ...(run.uid === undefined
      ? {}
      : { securityContext: { runAsUser: run.uid, ...(run.gid === undefined ? {} : { runAsGroup: run.gid }) } }),
  };
  return { terminationGracePeriodSeconds: seconds(policy.killTimeoutMs), containers: [container] };
}

/** A byte count as a Kubernetes quantity: `200Mi` when it is whole mebibytes, else plain bytes. */
export function memoryQuantity(bytes: number): string {
  const mebi = 1024 * 1024;
  return bytes % mebi === 0 ? `${bytes / mebi}Mi` : String(bytes);
}

function probeOf(
  field: 'readinessProbe' | 'livenessProbe',
  check: ReadinessSpec | LivenessSpec | undefined,
  app: AppSpec,
  report: LossyReport,
): KubeObject {
  if (check === undefined) return {};
  const handler = probeHandler(check.probe);
  if (handler === undefined) return {};
  const key = field === 'readinessProbe' ? 'ready' : 'health';
  if (check.probe.kind === 'http' && check.probe.status.length > 0)
    report.add(app, `${key}.http.status`, 'Kubernetes passes any status from 200 to 399');
  const timing = { periodSeconds: seconds(check.intervalMs), timeoutSeconds: seconds(check.timeoutMs) };
  if ('threshold' in check) return { [field]: { ...handler, ...timing, successThreshold: check.threshold } };
  return {
    [field]: {
      ...handler,
      ...timing,
      failureThreshold: check.failures,
      initialDelaySeconds: seconds(check.startPeriodMs, 0),
    },
  };
}

/** A check as a probe handler; a `log` check has none (the lossy report names it). */
function probeHandler(probe: CheckProbe): KubeObject | undefined {
  switch (probe.kind) {
    case 'http':
      return { httpGet: { path: probe.path, port: probe.port } };
    case 'tcp':
      return { tcpSocket: { port: probe.port } };
    case 'exec':
      return { exec: { command: ['/bin/sh', '-c', probe.command] } };
    case 'log':
      return undefined;
  }
}
