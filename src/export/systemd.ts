import type { AppSpec, DesiredState } from '../config/types.js';
import { appPort, exportedEnv } from './app-facts.js';
import { commonLossy, LossyReport, lossyComment } from './lossy.js';
import { unitPrefix } from './names.js';
import { environmentWord, execWord, unitValue } from './systemd-quote.js';
import { onCalendar } from './on-calendar.js';
import type { ExportFile, ExportOptions, ExportResult } from './types.js';

/** The unit's name: `api.service`, or the template `api@.service` whose instances are `api@0` … `api@N-1`. */
export function unitFileName(app: AppSpec): string {
  return app.instances > 1 ? `${unitPrefix(app.name)}@.service` : `${unitPrefix(app.name)}.service`;
}

/** The units an app runs as once enabled: what another unit's `After=` and `Requires=` name. */
function runningUnits(app: AppSpec): string[] {
  const prefix = unitPrefix(app.name);
  if (app.instances <= 1) return [`${prefix}.service`];
  return Array.from({ length: app.instances }, (_, index) => `${prefix}@${index}.service`);
}

/**
 * The systemd form of an ecosystem: one service unit per app (a template when it has several instances), run as
 * tend runs it: the same program, folder, environment, user, restart rule, memory limit and stop signal.
 */
export function exportSystemd(desired: DesiredState, options: ExportOptions): ExportResult {
  const report = new LossyReport();
  // Every app's lines first: the lossy fields they find go into the header comments.
  const bodies = desired.apps.map((app) => ({
    app,
    lines: unitLines(app, desired, options, report),
    timer: timerOf(app, options, report),
  }));
  const files = bodies.flatMap(({ app, lines, timer }) => {
    const header = [
      `app ${app.name}: tend export systemd ${options.sourceLabel}`,
      ...(app.instances > 1
        ? [
            `a template: systemctl enable --now ${runningUnits(app)
              .map((unit) => unit.replace(/\.service$/, ''))
              .join(' ')}`,
          ]
        : []),
      ...lossyComment(app.name, report.fields),
    ].map((line) => `# ${line}`.trimEnd());
    const service = { name: unitFileName(app), text: `${[...header, ...lines].join('\n')}\n` };
    return timer === undefined ? [service] : [service, timer];
  });
  return { files, lossy: report.fields };
}

function unitLines(app: AppSpec, desired: DesiredState, options: ExportOptions, report: LossyReport): string[] {
  commonLossy(
    app,
    options.home,
    {
      engine: 'systemd',
      logsGoTo: 'the journal',
      instanceIndex: true,
      restartLimit:
        'systemd gives up after StartLimitBurst= starts within an interval, not after runs shorter than min_uptime',
    },
    report,
  );
  const { run, policy } = app;
  const prefix = unitPrefix(app.name);
  if (prefix !== app.name) report.add(app, 'name', `unit names are letters, digits, :_.-: ${prefix}`);
  if (policy.ready !== undefined && policy.ready.probe.kind !== 'log')
    report.add(app, 'ready', 'systemd does not run checks: the unit is up once its process has started');
  if (policy.health !== undefined && policy.health.probe.kind !== 'log')
    report.add(app, 'health', "systemd does not run checks (its watchdog needs the app's own sd_notify)");
  if (app.instances > 1 && appPort(app) !== undefined && run.incrementVar === null)
    report.add(app, 'instances', `every instance gets the same PORT ${appPort(app)}: only one can listen on it`);

  const unit = ['', '[Unit]', `Description=${unitValue(`${app.name} (tend export)`)}`, 'After=network.target'];
  const dependencies = (app.dependsOn ?? []).flatMap((dependency) => {
    const target = desired.apps.find((other) => other.name === dependency.app);
    if (target === undefined) return [];
    if (dependency.condition !== 'started')
      report.add(
        app,
        `depends_on.${dependency.app}`,
        `systemd starts the app once ${dependency.app} has started, not once it is ready`,
      );
    return [{ units: runningUnits(target), restart: dependency.restart }];
  });
  const dependencyUnits = dependencies.flatMap((dependency) => dependency.units);
  if (dependencyUnits.length > 0)
    unit.push(`After=${dependencyUnits.join(' ')}`, `Requires=${dependencyUnits.join(' ')}`);
  // restart: true: restarting a dependency restarts this app too, which is what PartOf= propagates.
  const partOf = dependencies.filter((dependency) => dependency.restart).flatMap((dependency) => dependency.units);
  if (partOf.length > 0) unit.push(`PartOf=${partOf.join(' ')}`);
  if (policy.autorestart) {
    // tend gives up after max_restarts runs shorter than min_uptime; systemd after Burst starts within the interval.
    // A crash loop of such runs (each restart_delay apart) fills the interval as it fills tend's count.
    const starts = policy.maxRestarts + 1;
    unit.push(
      `StartLimitBurst=${starts}`,
      `StartLimitIntervalSec=${starts * (policy.minUptimeMs + policy.restartDelayMs)}ms`,
    );
  }

  const service = ['', '[Service]', 'Type=simple', `ExecStart=${execStart(app)}`];
  service.push(`WorkingDirectory=${unitValue(run.cwd)}`);
  for (const [name, value] of Object.entries(exportedEnv(app))) {
    // A unit's line cannot hold a line break (a PEM key in the env, say); an EnvironmentFile= can.
    if (/[\n\r]/.test(value)) report.add(app, `env.${name}`, 'a line break cannot be written in a unit: left out');
    else service.push(`Environment=${environmentWord(name, value)}`);
  }
  service.push(`Environment=${environmentWord(run.instanceVar, app.instances > 1 ? '%i' : '0', true)}`);
  const user = run.uid === undefined ? options.defaultUser : String(run.uid);
  if (user !== undefined) service.push(`User=${unitValue(user)}`);
  if (run.gid !== undefined) service.push(`Group=${run.gid}`);
  service.push(`Restart=${policy.autorestart ? 'always' : 'no'}`);
  if (policy.autorestart && policy.stopExitCodes.length > 0)
    service.push(`RestartPreventExitStatus=${policy.stopExitCodes.join(' ')}`);
  service.push(`RestartSec=${policy.restartDelayMs}ms`);
  if (policy.maxMemoryRestartBytes !== null) service.push(`MemoryMax=${policy.maxMemoryRestartBytes}`);
  service.push(`KillSignal=${policy.killSignal}`, `TimeoutStopSec=${policy.killTimeoutMs}ms`);

  // autostart: false registers the app stopped: a unit that is not enabled.
  const install = app.autostart ? ['', '[Install]', 'WantedBy=multi-user.target'] : [];
  return [...unit, ...service, ...install];
}

/**
 * `cron_restart` of a job (autorestart off, one instance) as a timer that starts its unit on the schedule, which is what
 * tend's cron does to a job that has ended. A live app would need a restart, which a timer does not do: reported.
 */
function timerOf(app: AppSpec, options: ExportOptions, report: LossyReport): ExportFile | undefined {
  const cron = app.policy.cronRestart;
  if (cron === undefined) return undefined;
  if (app.policy.autorestart || app.instances > 1) {
    report.add(
      app,
      'cron_restart',
      app.policy.autorestart
        ? 'a systemd timer starts a unit but does not restart one that runs: the schedule is left out'
        : 'a systemd timer starts one unit, not each instance of a template: the schedule is left out',
    );
    return undefined;
  }
  const calendar = onCalendar(cron);
  if (!calendar.ok) {
    report.add(app, 'cron_restart', `${calendar.reason}: the schedule is left out`);
    return undefined;
  }
  const prefix = unitPrefix(app.name);
  const lines = [
    `# app ${app.name}: tend export systemd ${options.sourceLabel}`,
    `# cron_restart ${cron.pattern}: starts ${prefix}.service`,
    '',
    '[Unit]',
    `Description=${unitValue(`${app.name} schedule (tend export)`)}`,
    '',
    '[Timer]',
    `OnCalendar=${unitValue(calendar.value)}`,
    // systemd's default accuracy is a minute; tend runs a schedule to the second.
    'AccuracySec=1s',
    ...(app.autostart ? ['', '[Install]', 'WantedBy=timers.target'] : []),
  ];
  return { name: `${prefix}.timer`, text: `${lines.join('\n')}\n` };
}

/** The command line: interpreter and its arguments, the script, the app's arguments, each word quoted for systemd. */
function execStart(app: AppSpec): string {
  const { run } = app;
  const words =
    run.interpreter === null
      ? [run.script, ...run.args]
      : [run.interpreter, ...run.interpreterArgs, run.script, ...run.args];
  return words.map((word, index) => execWord(word, index === 0 ? 'program' : 'argument')).join(' ');
}
