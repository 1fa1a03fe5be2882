import { MODULE_CONFIG_VAR } from '../config/module-env.js';

/** Names of env variables whose values look secret: `tend show`, `jlist` and `prettylist` print them as `***`. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i;

/** Whether an env variable's name looks like it holds a secret. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Env values whose names look secret never leave the daemon, or a listing, in clear unless asked. */
export function maskSecret(name: string, value: string): string {
  if (looksSecret(name)) return '***';
  return name === MODULE_CONFIG_VAR ? maskSettings(value) : value;
}

/** A module's settings as JSON (`TEND_MODULE_CONFIG`): a setting whose key looks secret is masked as its own variable is. */
function maskSettings(json: string): string {
  let settings: unknown;
  try {
    settings = JSON.parse(json);
  } catch {
    return json;
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return json;
  const masked = Object.entries(settings).map(([key, value]) => [key, looksSecret(key) ? '***' : value]);
  return JSON.stringify(Object.fromEntries(masked));
}
