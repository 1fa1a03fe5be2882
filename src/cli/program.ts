import { Command, Option } from 'commander';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setEntryDir } from './context.js';
import { reportError } from './report-error.js';

/** Exit codes: 0 success, 1 failure, 2 `plan --exit-code` found changes. */
export type ExitCode = number;

// Each verb's function takes commander's arguments with its own types; `never[]` accepts any of them.
type Handler = (...args: never[]) => Promise<ExitCode | undefined>;

/** Builds the command tree; each verb imports its own module only when it runs. */
export async function run(argv: string[], version: string, entryUrl: string): Promise<ExitCode> {
  setEntryDir(dirname(fileURLToPath(entryUrl)));
  // Everything after `--` belongs to the app, not to tend.
  const dashDash = argv.indexOf('--');
  const appArgs = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  const ownArgs = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  let exitCode: ExitCode = 0;
  const verbose = ownArgs.includes('--verbose');

  const program = new Command('tend')
    .description("Keeps your programs alive: a declarative process manager with PM2's verbs.")
    .version(version, '-v, --version')
    .option('--verbose', 'print stack traces and unchanged apps')
    .option('--no-color', 'plain output even on a terminal')
    .showHelpAfterError('(run `tend --help` for the list of commands)')
    .exitOverride();

  const action =
    (load: () => Promise<Handler>) =>
    async (...args: unknown[]) => {
      const handler = await load();
      const code = await handler(...(args as never[]));
      if (typeof code === 'number') exitCode = code;
    };

  const fileOptions = (cmd: Command): Command =>
    cmd
      .option('--only <apps>', 'only these apps (comma-separated names)')
      .option('--env <name>', 'merge env_<name> over env')
      .option('--prune', 'delete apps the file no longer names')
      .option('--load-timeout <ms>', 'longest a JS ecosystem file may take to load (default 10000)')
      // The config layer reads the limit from the environment, so every path that loads a file obeys the same knob.
      .hook('preAction', (_command, action) => {
        const limit = action.opts().loadTimeout as string | undefined;
        if (limit !== undefined) process.env.TEND_CONFIG_TIMEOUT = limit;
      });

  fileOptions(
    program.command('apply').argument('<file>', 'ecosystem file (.yml, .yaml, .json, .config.js, .cjs, .mjs)'),
  )
    .description('make the running processes match an ecosystem file: prints the plan, then carries it out')
    .option('--dry-run', 'print the plan and change nothing')
    .action(action(async () => (await import('./commands/apply.js')).applyCommand));

  fileOptions(program.command('plan').alias('diff').argument('<file>', 'ecosystem file'))
    .description('print what `tend apply` would do, and do nothing')
    .option('--exit-code', 'exit 2 when there are changes (drift detection in CI)')
    .action(action(async () => (await import('./commands/apply.js')).planCommand));

  program
    .command('start')
    .argument('[targets...]', 'a script, an ecosystem file, or names/ids of stopped apps')
    .description(
      "start a script or an ecosystem file (PM2 style: your shell's environment is passed on), or start stopped apps again",
    )
    .option('-n, --name <name>', 'app name (default: the script name without extension)')
    .option('-i, --instances <n>', 'number of instances, or max for one per CPU')
    .option('--env <name>', 'merge env_<name> over env (ecosystem files)')
    .option('--only <apps>', 'only these apps of the file (comma-separated)')
    .option('--watch [paths]', 'restart when files change (the cwd, or these comma-separated paths)')
    .option('--ignore-watch <globs>', 'comma-separated globs the watcher ignores')
    .option('--watch-delay <ms>', 'quiet time after changes before the restart')
    .option('--max-memory-restart <size>', 'restart when memory goes over this (e.g. 100M)')
    .option('--restart-delay <ms>', 'wait before restarting a crashed app')
    .option('--exp-backoff-restart-delay <ms>', 'first delay of an exponential restart backoff')
    .option('--max-restarts <n>', 'unstable restarts before the app is marked errored')
    .option('--min-uptime <ms>', 'a run shorter than this is an unstable restart')
    .option('--kill-timeout <ms>', 'grace between the kill signal and SIGKILL')
    .option('--kill-signal <signal>', 'signal sent on stop (default SIGINT)')
    .option('--interpreter <path>', 'program that runs the script (none: run it directly)')
    .option('--interpreter-args <args>', 'arguments for the interpreter')
    .addOption(new Option('--node-args <args>', 'same as --interpreter-args').hideHelp())
    .option('--cwd <dir>', 'working folder of the app')
    .option('--no-autorestart', 'do not restart the app when it exits')
    .option('--stop-exit-codes <codes>', 'comma-separated exit codes that do not restart the app')
    .option('-o, --output <file>', 'stdout log file')
    .option('-e, --error <file>', 'stderr log file')
    .option('--merge-logs', 'one log file for all instances')
    .option('--uid <user>', 'run the app as this user, a name or a number (tend must run as root)')
    .option('--gid <group>', "run the app with this group (default: the user's primary group)")
    .action(
      action(async () => {
        const { startCommand } = await import('./commands/start.js');
        return (targets: string[], options: Record<string, unknown>) => startCommand(targets, options, appArgs);
      }),
    );

  for (const verb of ['stop', 'restart', 'reload', 'delete'] as const) {
    const cmd = program
      .command(verb)
      .argument('<targets...>', 'app names, ids, `all`, or an ecosystem file')
      .description(
        {
          stop: 'stop processes; they stay listed as stopped',
          restart: 'stop then start processes (a short downtime)',
          reload:
            'zero-downtime rolling reload of cluster apps (one instance at a time, each new one ready before the old one goes); fork apps are restarted',
          delete: 'stop processes and forget them',
        }[verb],
      )
      .option('--only <apps>', 'with a file: only these apps');
    if (verb === 'delete') cmd.alias('del');
    cmd.action(
      action(async () => {
        const { targetCommand } = await import('./commands/targets.js');
        return (targets: string[], options: Record<string, unknown>) => targetCommand(verb, targets, options);
      }),
    );
  }

  program
    .command('scale')
    .argument('<app>', 'app name')
    .argument('<count>', 'N, +N or -N instances')
    .description('start or stop instances so the app has this many; running instances are not touched')
    .action(action(async () => (await import('./commands/scale.js')).scaleCommand));

  program
    .command('ls')
    .aliases(['list', 'l', 'status', 'ps'])
    .description('list the processes')
    .option('--json', 'one JSON array, one object per process')
    .option('--sort <field>', 'name|id|pid|cpu|memory|status|uptime|restarts, optionally :asc or :desc')
    .action(action(async () => (await import('./commands/list.js')).listCommand));

  program
    .command('jlist')
    .description('same as `tend ls --json`')
    .action(
      action(async () => {
        const { listCommand } = await import('./commands/list.js');
        return () => listCommand({ json: true });
      }),
    );

  program
    .command('show')
    .aliases(['describe', 'desc', 'info'])
    .argument('<target>', 'app name or id')
    .description('everything known about a process (secret-looking env values masked)')
    .option('--json', 'as JSON')
    .option('--show-secrets', 'show env values whose names look secret (KEY, SECRET, TOKEN, PASSWORD…) in clear')
    .action(action(async () => (await import('./commands/show.js')).showCommand));

  program
    .command('logs')
    .alias('log')
    .argument('[target]', 'app name or id (default: all)')
    .description('print the last lines of the logs, then follow them')
    .option('--lines <n>', 'how many lines to print first', '15')
    .option('--err', 'only stderr')
    .option('--out', 'only stdout')
    .option('--raw', 'lines as written, without the app prefix')
    .option('--nostream', 'print and exit, do not follow')
    .option(
      '--timestamp',
      'prefix each line with its time (written by tend for apps with `time`/`log_date_format`/`log_type: json`, else when read)',
    )
    .option('--json', 'one JSON object per line (lines of `log_type: json` files are re-emitted, not wrapped twice)')
    .action(action(async () => (await import('./commands/logs.js')).logsCommand));

  program
    .command('flush')
    .argument('[targets...]', 'app names or ids (default: all)')
    .description('empty the log files')
    .action(action(async () => (await import('./commands/misc.js')).flushCommand));

  program
    .command('reloadLogs')
    .alias('reload-logs')
    .description(
      'reopen the log files after an external logrotate moved them (apps with a log writer; the others are named)',
    )
    .action(action(async () => (await import('./commands/reload-logs.js')).reloadLogsCommand));

  program
    .command('save')
    .alias('dump')
    .description('remember the running apps for `tend resurrect`')
    .action(action(async () => (await import('./commands/misc.js')).saveCommand));
  program
    .command('resurrect')
    .description('start the apps remembered by `tend save` that are not running')
    .action(action(async () => (await import('./commands/misc.js')).resurrectCommand));
  program
    .command('ping')
    .description('start the daemon if needed and check it answers')
    .action(action(async () => (await import('./commands/misc.js')).pingCommand));
  program
    .command('dashboard')
    .description('serve the web dashboard and Prometheus /metrics from the daemon; prints the address and the token')
    .option('--port <n>', 'port to listen on, 0 for any free one (default 9615)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1); any other needs the token for every request')
    .option('--stop', 'stop serving the dashboard')
    .option('--json', 'print the address and token as JSON')
    .option('--metrics-public', 'serve /metrics without a token (for a Prometheus that cannot send one)')
    .action(action(async () => (await import('./commands/dashboard.js')).dashboardCommand));
  program
    .command('update')
    .description('replace the running daemon with this version of tend; no app is restarted')
    .action(action(async () => (await import('./commands/misc.js')).updateCommand));
  program
    .command('kill')
    .description('stop every app, then the daemon')
    .action(action(async () => (await import('./commands/misc.js')).killCommand));
  program
    .command('trigger')
    .argument('<target>', 'app name or id')
    .argument('<action>', 'an action the app registered with tend/probe')
    .argument('[arg]', 'a string passed to the action')
    .description('run an action of a Node.js app in every instance and print each answer (5 s timeout)')
    .option('--json', 'the answers as JSON')
    .action(action(async () => (await import('./commands/trigger.js')).triggerCommand));
  program
    .command('monit')
    .description(
      'full-screen terminal dashboard: CPU and memory with history, details and live logs; r restarts, s stops, q quits',
    )
    .action(action(async () => (await import('./commands/monit.js')).monitCommand));

  // Start at boot, shell completion and `init` (issue #18). Their code loads only when one of them runs.
  const startupOptions = (cmd: Command): Command =>
    cmd
      .addArgument(
        cmd
          .createArgument('[platform]', 'init system (default: the one this machine runs)')
          .choices(['systemd', 'launchd', 'openrc']),
      )
      .option('-u, --username <user>', 'the user tend runs as (default: you; PM2: --user)')
      .option('--hp <home>', "that user's home folder (default: from the user database)")
      .option('--service-name <name>', 'unit name (default: tend-USER; tend for --user; tend.USER for launchd)')
      .option('--user', 'a systemd user unit (~/.config/systemd/user) or a launchd agent: no root needed')
      .option('--unit-dir <dir>', "write the unit into this folder instead of the system's");
  startupOptions(program.command('startup'))
    .description('start tend at boot and bring back the apps of the last `tend save` (systemd, launchd, OpenRC)')
    .option('--dry-run', 'print the unit and change nothing')
    .action(action(async () => (await import('./commands/startup.js')).startupCommand));
  startupOptions(program.command('unstartup'))
    .description('stop starting tend at boot: disable and remove the unit `tend startup` wrote (apps keep running)')
    .action(action(async () => (await import('./commands/startup.js')).unstartupCommand));
  program
    .command('init')
    .alias('ecosystem')
    .argument('[script]', 'the app to start (default: package.json main, server.js, app.js, index.js…)')
    .description('write an ecosystem.yml to start from, or with --from-running the apps that run now')
    .option('-o, --output <file>', 'write this file instead of ecosystem.yml (- for stdout)')
    .option('--force', 'overwrite the file if it exists')
    .option('--from-running', 'write the running apps, only their non-default keys, so `tend plan` finds no change')
    .option('--only <apps>', 'with --from-running: only these apps (comma-separated)')
    .option('--no-shell-env', "with --from-running: leave out what `tend start` took from its shell's environment")
    .action(action(async () => (await import('./commands/init.js')).initCommand));
  program
    .command('completion')
    .addArgument(
      program
        .createArgument(
          '<what>',
          'bash, zsh or fish: print its script; install or uninstall: put it in place, or remove it',
        )
        .choices(['bash', 'zsh', 'fish', 'install', 'uninstall']),
    )
    .addArgument(
      program
        .createArgument('[shell]', 'with install/uninstall: bash, zsh or fish (default: from $SHELL)')
        .choices(['bash', 'zsh', 'fish']),
    )
    .description('shell completion of verbs, options, app names and files')
    .action(action(async () => (await import('./commands/completion.js')).completionCommand));
  program
    .command('__complete', { hidden: true })
    .option('--shell <shell>', 'format for this shell')
    .action(
      action(async () => {
        const { completeRequest } = await import('./commands/complete-request.js');
        return (options: { shell?: string }) => completeRequest(program, appArgs, options.shell);
      }),
    );

  try {
    await program.parseAsync(ownArgs, { from: 'user' });
    if (ownArgs.length === 0) {
      program.outputHelp();
      return 1;
    }
    return exitCode;
  } catch (err) {
    return reportError(err, verbose);
  }
}
