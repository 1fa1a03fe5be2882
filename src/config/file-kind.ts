// Apart from index.ts so that a command can tell a file from an app name without loading the config layer and its
// validator (`tend restart api` has no file to read).

/** Whether a path names an ecosystem file (true) or a script to run (false): `app.js` is a script, `app.config.js` a file. */
export function isEcosystemFile(path: string): boolean {
  return /\.(json5?|ya?ml|config\.[cm]?js)$/i.test(path);
}
