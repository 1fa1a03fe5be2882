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
      .option('--no-deps', 'with --only: do not also start the apps they depend on (depends_on)')
      .option('--env <name>', 'merge env_<name> over env')
      .option('--prune', 'delete apps of this file (or project) that it no longer names; other owners keep theirs')
      .option('--take-over', 'take apps another file, project or the command line applied, instead of refusing')
      .option('--deny <kinds>', 'fail before acting if the plan has these actions (e.g. restart,delete); exit 4')
      .option('--max-unavailable <n>', 'fail before acting if more instances would be down at once; exit 4')
      .option('--load-timeout <ms>', 'longest a JS ecosystem file may take to load (default 10000)')
      // The config layer reads the limit from the environment, so every path that loads a file obeys the same knob.
      .hook('preAction', (_command, action) => {
        const limit = action.opts().loadTimeout as string | undefined;
        if (limit !== undefined) process.env.TEND_CONFIG_TIMEOUT = limit;
      });

  fileOptions(
    program
      .command('apply')
      .argument(
        '<file>',
        'ecosystem file (.yml, .yaml, .json, .config.js, .cjs, .mjs), or a plan saved by `tend plan -o`',
      ),
  )
    .description('make the running processes match an ecosystem file: prints the plan, then carries it out')
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--atomic',
      'if an instance it starts is not up (and ready) within listen_timeout, put back what it touched',
    )
    .action(action(async () => (await import('./commands/apply.js')).applyCommand));

  fileOptions(program.command('plan').alias('diff').argument('<file>', 'ecosystem file'))
    .description('print what `tend apply` would do, and do nothing')
    .option('--exit-code', 'exit 2 when there are changes (drift detection in CI)')
    .option('--json', 'print the plan as JSON (a versioned shape, for CI bots)')
    .option(
      '-o, --out <file>',
      'save the plan: `tend apply FILE` carries out exactly it, or refuses if it went stale (exit 3)',
    )
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
    // PM2's other flags, each a spelling of an ecosystem key (src/cli/commands/start-flags.ts).
    .option('-x, --execute-command', 'fork mode even with -i')
    .option('--namespace <name>', 'namespace of the app')
    .option('--wait-ready', "online only once the app calls process.send('ready')")
    .option('--listen-timeout <ms>', 'how long to wait for ready (or listening, in cluster mode)')
    .option('--shutdown-with-message', "stop the app with the IPC message 'shutdown' rather than a signal")
    .option('--log-date-format <format>', 'prefix each log line with its time in this format')
    .option('--time', 'prefix each log line with its time')
    .option('-l, --log [path]', 'also write stdout and stderr both to one file (default <name>.log)')
    .option('-p, --pid <path>', 'write the pid of each instance to this file (suffixed -<instance>)')
    .option(
      '--cron-restart <pattern>',
      'restart on this cron pattern (5 fields, or 6 with seconds); with --no-autorestart, start on it',
    )
    .addOption(new Option('-c, --cron <pattern>', 'same as --cron-restart').hideHelp())
    .option('-f, --force', 'start one more instance of a script that already runs')
    .option('-a, --update-env', "with an app name: your shell's environment replaces the one it was started with")
    .option('--no-daemon', "PM2's foreground mode: refused, tend always runs its apps under its daemon")
    .action(
      action(async () => {
        const { startCommand } = await import('./commands/start.js');
        return (targets: string[], options: Record<string, unknown>) => startCommand(targets, options, appArgs);
      }),
    );

  for (const verb of ['stop', 'restart', 'reload', 'delete'] as const) {
    const cmd = program
      .command(verb)
      .argument(
        '<targets...>',
        'app names, ids, `all`, namespaces, /regex/ on names, script paths, or an ecosystem file',
      )
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
    if (verb === 'restart' || verb === 'reload')
      cmd
        .option('--env <name>', 'with a file: merge env_<name> (and deploy.<name>.env) over env')
        .option('-a, --update-env', "your shell's environment replaces the one the app was started with")
        .option('--node-args <args>', 'new interpreter arguments for the app (null clears them)')
        .addOption(new Option('--interpreter-args <args>', 'same as --node-args').hideHelp())
        .option('-n, --name <name>', 'rename the app')
        .option('--watch [paths]', 'watch again (stop turns watching off)');
    if (verb === 'delete') cmd.alias('del');
    cmd.action(
      action(async () => {
        const { targetCommand } = await import('./commands/targets.js');
        return (targets: string[], options: Record<string, unknown>) => targetCommand(verb, targets, options);
      }),
    );
  }

  for (const [pm2Verb, verb] of [
    ['startOrRestart', 'restart'],
    ['startOrReload', 'reload'],
    ['startOrGracefulReload', 'reload'],
  ] as const)
    program
      .command(pm2Verb)
      .argument('<file>', 'ecosystem file, or - for apps on stdin')
      .description(`PM2's name for \`tend ${verb} FILE\`: start the apps that are missing, ${verb} the others`)
      .option('--only <apps>', 'only these apps (comma-separated)')
      .option('--env <name>', 'merge env_<name> (and deploy.<name>.env) over env')
      .option('-a, --update-env', "your shell's environment replaces the one the running apps were started with")
      .action(
        action(async () => {
          const { startOrRestartCommand } = await import('./commands/file-start.js');
          return (file: string, options: Record<string, unknown>) => startOrRestartCommand(verb, file, options);
        }),
      );

  program
    .command('scale')
    .argument('<app>', 'app name')
    .argument('<count>', 'N, +N or -N instances')
    .description('start or stop instances so the app has this many; running instances are not touched')
    .action(action(async () => (await import('./commands/scale.js')).scaleCommand));

  program
    .command('ls')
    .aliases(['list', 'l', 'status', 'ps'])
    .argument('[pattern]', 'only these: a name, namespace or id, a glob such as api-*, or /regex/')
    .description('list the processes')
    .option('--json', "one JSON array, one object per process (tend's shape; `tend jlist` gives PM2's)")
    .option('--sort <field>', 'name|id|pid|cpu|memory|status|uptime|restarts, optionally :asc or :desc')
    .option('--project <name>', 'only the apps this project applied (its ecosystem file sets `project:`)')
    .option('--file <path>', 'only the apps this ecosystem file applied')
    .action(action(async () => (await import('./commands/list.js')).listCommand));

  for (const verb of ['jlist', 'prettylist'] as const) {
    program
      .command(verb)
      .description(
        verb === 'jlist'
          ? "the list in PM2's `pm2 jlist` shape, for scripts written against PM2 (`tend ls --json` is tend's own)"
          : "the list in PM2's `pm2 prettylist` shape (Node's util.inspect text)",
      )
      .option('--show-secrets', 'show env values whose names look secret (KEY, SECRET, TOKEN, PASSWORD…) in clear')
      .action(
        action(async () => {
          const { pm2ListCommand } = await import('./commands/list.js');
          return (options: { showSecrets?: boolean }) => pm2ListCommand(verb === 'prettylist', options);
        }),
      );
  }

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
    .argument('[target]', 'app name, id, namespace, /regex/, script path or ecosystem file (default: all)')
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
    .argument('[targets...]', 'app names, ids, namespaces, /regex/ or script paths (default: all)')
    .description('empty the log files')
    .action(action(async () => (await import('./commands/misc.js')).flushCommand));

  program
    .command('reloadLogs')
    .alias('reload-logs')
    .description(
      'reopen the log files after an external logrotate moved them (apps with a log writer; apps writing directly are named, or restarted with --restart)',
    )
    .option('--restart', 'also restart apps that write their files directly and whose files were moved')
    .action(action(async () => (await import('./commands/reload-logs.js')).reloadLogsCommand));

  program
    .command('save')
    .alias('dump')
    .description('remember the running apps for `tend resurrect`')
    .action(action(async () => (await import('./commands/misc.js')).saveCommand));
  program
    .command('resurrect')
    .description(
      'bring back the apps of the last `tend save` that are not managed now, each in its saved status (stopped ones stay stopped)',
    )
    .action(action(async () => (await import('./commands/resurrect.js')).resurrectCommand));
  program
    .command('import')
    .argument('[source]', "PM2's home (default $PM2_HOME or ~/.pm2) or a dump.pm2 file")
    .description(
      "write an ecosystem file from PM2's dump (`pm2 save`): every PM2 key mapped, or listed as left out with why",
    )
    .option('-o, --output <file>', 'the file to write (default ecosystem.yml; - prints it)')
    .option('--force', 'replace the output file if it exists')
    .option('--apply', 'apply the file once written (as `tend apply`)')
    .action(action(async () => (await import('./commands/import.js')).importCommand));
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
    .aliases(['updatePM2', 'deepUpdate'])
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
  const profileOptions = (command: Command): Command =>
    command
      .option('--duration <time>', 'how long to profile: 500ms, 10s, 2m (not for heap)', '10s')
      .option('--instance <n>', 'only this instance')
      .option(
        '-o, --output <file>',
        'the file to write (several instances: -<instance> is added); default: ./<app>-<instance>-<time>.<ext>',
      )
      .option('--json', 'the answers as JSON');
  profileOptions(
    program
      .command('profile')
      .argument('<kind>', 'cpu (.cpuprofile), heap (a .heapsnapshot) or heap-sampling (.heapprofile)')
      .argument('<target>', 'app name or id')
      .description(
        'profile a running Node.js app from inside it (no inspector port opened); files open in Chrome DevTools',
      ),
  ).action(action(async () => (await import('./commands/profile.js')).profileCommand));
  for (const [name, kind] of [
    ['profile:cpu', 'cpu'],
    ['profile:mem', 'heap-sampling'],
  ] as const)
    profileOptions(
      program
        .command(name)
        .argument('<target>', 'app name or id')
        .description(`PM2's name for: tend profile ${kind} <target>`),
    ).action(
      action(async () => {
        const { profileCommand } = await import('./commands/profile.js');
        return (target: string, options: Parameters<typeof profileCommand>[2]) => profileCommand(kind, target, options);
      }),
    );
  program
    .command('serve')
    .alias('expose')
    .argument('[path]', 'the folder to serve', '.')
    .argument('[port]', 'the port', '8080')
    .description('serve a folder over HTTP as a managed app (static-page-server-PORT), as pm2 serve does')
    .option('--spa', 'single-page app: paths that name no file get index.html')
    .option('--basic-auth-username <name>', 'ask for this user name (HTTP basic auth)')
    .option('--basic-auth-password <password>', 'and this password')
    .option(
      '--host <address>',
      'the address to listen on (default 0.0.0.0, as PM2; 127.0.0.1 keeps it on this machine)',
    )
    .option('-n, --name <name>', 'the app name (default static-page-server-PORT)')
    .action(action(async () => (await import('./commands/serve.js')).serveCommand));
  program
    .command('report')
    .description(
      'print what a bug report needs: versions, the daemon, the apps, the end of daemon.log (secrets masked)',
    )
    .option('--json', 'the report as JSON')
    .action(action(async () => (await import('./commands/report.js')).reportCommand));
  program
    .command('inspect')
    .argument('<target>', 'app name or id')
    .description('open the Node.js inspector of a running app on 127.0.0.1 and print its ws:// address')
    .option('--instance <n>', 'only this instance')
    .option('--close', 'close the inspector again')
    .option('--json', 'the answers as JSON')
    .action(action(async () => (await import('./commands/profile.js')).inspectCommand));
  program
    .command('monit')
    .description(
      'full-screen terminal dashboard: CPU and memory with history, details and live logs; r restarts, s stops, q quits',
    )
    .action(action(async () => (await import('./commands/monit.js')).monitCommand));

  // ── PM2's other verbs (issue #16 §4): their code is in commands/process-verbs.ts, attach.ts and git-verbs.ts. ──
  const verbs = async () => import('./commands/process-verbs.js');
  program
    .command('reset')
    .argument('<targets...>', 'app names, ids, `all`, namespaces, /regex/, script paths or an ecosystem file')
    .description('set restarts and unstable restarts back to 0, and count created-at and uptime from now')
    .action(action(async () => (await verbs()).resetCommand));
  program
    .command('sendSignal')
    .argument('<signal>', 'SIGUSR2, USR2 or 12')
    .argument('<targets...>', 'app names, ids, `all`, namespaces, /regex/, script paths or an ecosystem file')
    .description("send a signal to each process's main pid")
    .action(action(async () => (await verbs()).sendSignalCommand));
  program
    .command('env')
    .argument('<target>', 'process id (or app name, namespace, /regex/, script path)')
    .description('every environment variable the process starts with (secret-looking values masked)')
    .option('--json', 'as JSON')
    .option('--show-secrets', 'show env values whose names look secret (KEY, SECRET, TOKEN, PASSWORD…) in clear')
    .action(action(async () => (await verbs()).envCommand));
  program
    .command('pid')
    .argument('[target]', 'app name (or id, namespace, /regex/, script path); default: every process')
    .description('the pid of each running process, one a line')
    .action(action(async () => (await verbs()).pidCommand));
  program
    .command('id')
    .argument('<target>', 'app name (or namespace, /regex/, script path)')
    .description('the id of each process of the app, one a line')
    .action(action(async () => (await verbs()).idCommand));
  program
    .command('send')
    .argument('<target>', 'process id (or app name)')
    .argument('<line...>', 'the line; several words are joined by spaces')
    .description("write a line to a fork-mode process's stdin")
    .action(action(async () => (await verbs()).sendCommand));
  program
    .command('attach')
    .argument('<target>', 'process id (or app name with one instance)')
    .description("type lines into a fork-mode process's stdin and see its output, until Ctrl-C")
    .action(action(async () => (await import('./commands/attach.js')).attachCommand));
  program
    .command('cleardump')
    .description('empty the list `tend save` wrote, so `tend resurrect` brings nothing back')
    .action(action(async () => (await verbs()).cleardumpCommand));
  const gitMove = async () => (await import('./commands/git-verbs.js')).gitMoveCommand;
  program
    .command('pull')
    .argument('<target>', 'app name')
    .argument('[commit]', 'move to this commit instead of pulling')
    .description("git pull (fast-forward only) in the app's cwd, or reset it to a commit, then reload the app")
    .action(
      action(async () => {
        const move = await gitMove();
        return (target: string, commit: string | undefined) => move(target, { verb: 'pull', commit });
      }),
    );
  for (const verb of ['forward', 'backward'] as const)
    program
      .command(verb)
      .argument('<target>', 'app name')
      .description(
        `move the git checkout in the app's cwd one commit ${verb === 'forward' ? 'newer' : 'older'} along its upstream, then reload the app`,
      )
      .action(
        action(async () => {
          const move = await gitMove();
          return (target: string) => move(target, { verb });
        }),
      );
  program
    .command('sync')
    .argument('<repo>', 'a git repository (URL or path) to follow, or `status` for what each pull agent saw')
    .description('a pull agent, run as an app: on each new commit of the branch, apply the file (with --prune)')
    .option('--path <file>', 'the ecosystem file inside the repository')
    .option('--branch <name>', 'the branch to follow (default main)')
    .option('--interval <duration>', 'how often to fetch (default 30s)')
    .option('--env <name>', 'apply with --env NAME')
    .option('--name <name>', 'the agent app name (default sync-REPO)')
    .action(action(async () => (await import('./commands/sync.js')).syncCommand));
  program
    .command('history')
    .argument('[app]', 'only the changes that touched this app')
    .description('every apply, start, delete and rollback: when, by which owner and commit, what it did, how it ended')
    .option('--json', 'as JSON')
    .action(action(async () => (await import('./commands/history.js')).historyCommand));
  program
    .command('rollback')
    .argument('[id]', 'a `tend history` entry to go back to (default: undo the last successful change)')
    .description('print the plan back to an earlier state, then carry it out')
    .option('--dry-run', 'print the plan and change nothing')
    .action(action(async () => (await import('./commands/history.js')).rollbackCommand));
  program
    .command('deploy')
    .argument('<words...>', '[FILE] TARGET [setup|update|revert [N]|curr|prev|list|exec "CMD"|ref REF]')
    .description("deploy a git repository to the hosts of the file's `deploy.TARGET` over ssh (PM2's deploy)")
    .action(action(async () => (await import('./commands/deploy.js')).deployCommand));
  for (const verb of ['plus', 'link'] as const) {
    const cmd = program.command(verb);
    // PM2's own alias.
    if (verb === 'plus') cmd.alias('register');
    cmd
      .argument('[args...]')
      .description("PM2's hosted dashboard: tend serves its own (`tend dashboard`)")
      .action(action(async () => (await verbs()).plusCommand));
  }

  // Modules (issue #23 §1): npm packages whose apps tend runs; their code is in commands/module.ts and module-config.ts.
  const modules = async () => import('./commands/module.js');
  program
    .command('install')
    .alias('module:install')
    .argument('<module>', 'an npm package name, a folder, a tarball (.tgz) or a git URL')
    .description("install a module into tend's home with npm (never globally) and start the apps it declares")
    .action(action(async () => (await modules()).installCommand));
  program
    .command('uninstall')
    .alias('module:uninstall')
    .argument('<module>', 'the module name')
    .description('delete the apps of a module, then remove it and its settings')
    .action(action(async () => (await modules()).uninstallCommand));
  const moduleVerb = program.command('module').description('installed modules: ls, update');
  moduleVerb
    .command('ls')
    .alias('list')
    .description('the installed modules, their versions, apps and settings')
    .option('--json', 'as JSON')
    .action(action(async () => (await modules()).moduleListCommand));
  moduleVerb
    .command('update')
    .argument('<module>', 'the module name')
    .description('install the module again from where it came, then restart its apps on the new code')
    .action(action(async () => (await modules()).moduleUpdateCommand));
  program
    .command('module:update', { hidden: true })
    .argument('<module>', 'the module name')
    .action(action(async () => (await modules()).moduleUpdateCommand));
  const moduleConfig = async () => import('./commands/module-config.js');
  program
    .command('set')
    .argument('<module:key>', 'the module and the setting, e.g. tend-health-pinger:urls')
    .argument('<value>', 'the value (a string)')
    .description("set a module's setting; its apps get it in their environment and are restarted")
    .action(action(async () => (await moduleConfig()).setCommand));
  program
    .command('unset')
    .argument('<module:key>', 'the module and the setting')
    .description("remove a module's setting (back to its package's default); its apps are restarted")
    .action(action(async () => (await moduleConfig()).unsetCommand));
  program
    .command('get')
    .argument('[module[:key]]', 'one setting (its value alone), one module, or every module when left out')
    .description("print modules' settings, the defaults of their package.json marked")
    .option('--json', 'as JSON')
    .action(action(async () => (await moduleConfig()).getCommand));

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
  // `tend export` (issue #22): the file in another engine's form; no daemon.
  program
    .command('export')
    .addArgument(program.createArgument('<target>', 'the engine').choices(['kubernetes', 'compose', 'systemd']))
    .argument('<file>', 'ecosystem file')
    .description('write the apps of an ecosystem file as Kubernetes objects, a docker compose file or systemd units')
    .option('--env <name>', 'merge env_<name> over env')
    .option('--only <apps>', 'only these apps (comma-separated names)')
    .option('-o, --output <dir>', 'write the files into this folder and print their paths (default: print the files)')
    .option('--image <image>', 'container image of every app (Kubernetes, compose; default: by interpreter)')
    .option('--strict', 'fail, writing nothing, when some key cannot be carried to the target')
    .action(action(async () => (await import('./commands/export.js')).exportCommand));
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

  // A bare `tend` prints the help and fails, as PM2 (on stdout, exit 1).
  if (ownArgs.length === 0) {
    program.outputHelp();
    return 1;
  }
  try {
    await program.parseAsync(ownArgs, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, verbose);
  }
}
