/** Names of env variables whose values look secret: `tend show`, `jlist` and `prettylist` print them as `***`. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i;

/** Whether an env variable's name looks like it holds a secret. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Env values whose names look secret never leave the daemon, or a listing, in clear unless asked. */
export function maskSecret(name: string, value: string): string {
  return looksSecret(name) ? '***' : value;
}
