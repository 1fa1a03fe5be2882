import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { desiredFromApps } from '../../config/index.js';
import { parseWhole } from '../../config/units.js';
import { TendError } from '../../core/errors.js';
import { distFile, paths } from '../context.js';
import { applyDesired, printWarnings, shellEnv } from './apply.js';

export interface ServeOptions {
  name?: string;
  host?: string;
  spa?: boolean;
  basicAuthUsername?: string;
  basicAuthPassword?: string;
}

/**
 * `tend serve [PATH] [PORT]` (PM2's `pm2 serve`): a static file server over PATH, started as a managed app named
 * `static-page-server-PORT` (dist/serve.cjs, src/serve/), so it restarts, logs and lists like any app.
 */
export async function serveCommand(
  folder: string | undefined,
  portText: string | undefined,
  options: ServeOptions,
): Promise<number> {
  const root = resolve(folder ?? '.');
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new TendError('USAGE', `tend serve needs a folder to serve; ${root} is not one`);
  const port = parseWhole(portText ?? '8080');
  if (port === undefined || port < 1 || port > 65535)
    throw new TendError('USAGE', `the port must be a number from 1 to 65535, got \`${portText}\``);
  const { basicAuthUsername: username, basicAuthPassword: password } = options;
  if ((username === undefined) !== (password === undefined))
    throw new TendError('USAGE', '--basic-auth-username and --basic-auth-password go together');
  const env: Record<string, string> = {};
  if (options.spa) env.TEND_SERVE_SPA = 'true';
  // In the environment, not the arguments: `ps` shows arguments to every user; `tend show` masks the password.
  if (username !== undefined && password !== undefined) {
    env.TEND_SERVE_USERNAME = username;
    env.TEND_SERVE_PASSWORD = password;
  }
  const name = options.name ?? `static-page-server-${port}`;
  const desired = await desiredFromApps(
    [
      {
        name,
        script: distFile('serve.cjs'),
        args: [root, String(port), options.host ?? '0.0.0.0'],
        cwd: root,
        probe: false,
        env,
      },
    ],
    { home: paths().home, baseEnv: { kind: 'shell', vars: shellEnv() }, cwd: process.cwd(), origin: 'command line' },
  );
  printWarnings(desired.warnings);
  return applyDesired(desired, { onlyNames: [name] }, false);
}
