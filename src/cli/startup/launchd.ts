import { join } from 'node:path';
import { xmlText } from './quote.js';
import { headerLines, type StartupSpec, tendCommand } from './spec.js';

const key = (name: string): string => `  <key>${xmlText(name)}</key>`;
const string = (value: string, indent = '  '): string => `${indent}<string>${xmlText(value)}</string>`;

/**
 * The launchd property list: `tend resurrect` once at load (at boot for a LaunchDaemon, which runs as `UserName`; at
 * login for a LaunchAgent). `AbandonProcessGroup` keeps launchd from killing what the job started when it exits: the
 * daemon and the apps live on. launchd does not follow the detached daemon, so a crashed daemon comes back with the
 * next `tend` command, as it does without launchd.
 */
export function renderLaunchdPlist(spec: StartupSpec): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    ...headerLines(spec).map((text) => `<!-- ${xmlText(text).replaceAll('--', '- -')} -->`),
    '<plist version="1.0">',
    '<dict>',
    key('Label'),
    string(spec.serviceName),
    ...(spec.scope === 'system' ? [key('UserName'), string(spec.user)] : []),
    key('ProgramArguments'),
    '  <array>',
    ...tendCommand(spec, 'resurrect').map((arg) => string(arg, '    ')),
    '  </array>',
    key('EnvironmentVariables'),
    '  <dict>',
    `    <key>TEND_HOME</key>`,
    string(spec.tendHome, '    '),
    `    <key>PATH</key>`,
    string(spec.path, '    '),
    '  </dict>',
    key('WorkingDirectory'),
    string(spec.home),
    key('RunAtLoad'),
    '  <true/>',
    key('AbandonProcessGroup'),
    '  <true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** LaunchDaemons (boot, root writes it) or the user's LaunchAgents (login). */
export function launchdPlistFile(spec: StartupSpec, dir: string | undefined): string {
  const folder =
    dir ?? (spec.scope === 'system' ? '/Library/LaunchDaemons' : join(spec.home, 'Library', 'LaunchAgents'));
  return join(folder, `${spec.serviceName}.plist`);
}
