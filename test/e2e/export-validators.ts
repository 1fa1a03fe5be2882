// The real validators of each engine, run on what `tend export` wrote: a failure message per problem, none when valid.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// kubernetes-models 4.x is CommonJS; validate() checks an object against the official OpenAPI schema of its kind.
const require = createRequire(import.meta.url);
const { Deployment } = require('kubernetes-models/apps/v1');
const { Service } = require('kubernetes-models/v1');
const { CronJob } = require('kubernetes-models/batch/v1');
const MODELS: Record<string, new (data: unknown) => { validate(): void }> = { Deployment, Service, CronJob };

/** What the API server checks beyond the schema: names are DNS labels (a CronJob's at most 52 characters). */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read only by the checks
export type KubeObject = Record<string, any>;

/** Every document of a multi-document YAML text, each validated; problems are thrown with the file's name. */
export function kubernetesObjects(text: string, label: string): KubeObject[] {
  return parseAllDocuments(text).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${label} document ${index}: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as KubeObject;
    const Model = MODELS[object.kind];
    if (!Model) throw new Error(`${label} document ${index}: unexpected kind ${object.kind}`);
    try {
      new Model(object).validate();
    } catch (error) {
      throw new Error(`${label} ${object.kind}: ${(error as Error).message}`);
    }
    const name = object.metadata?.name as string;
    if (!DNS_LABEL.test(name) || name.length > (object.kind === 'CronJob' ? 52 : 63))
      throw new Error(`${label} ${object.kind}: name ${name} is not a DNS label`);
    return object;
  });
}

/** `docker-compose config -q` on a compose file: its exit code and everything it said. */
export function composeConfig(file: string): { code: number | null; output: string } {
  const result = spawnSync('docker-compose', ['-f', file, 'config', '-q'], { encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** `systemd-analyze verify` of every unit in a folder: exit code and output per unit (a warning counts). */
export function verifyUnits(dir: string): Record<string, { code: number | null; output: string }> {
  const runtime = mkdtempSync(join(tmpdir(), 'tend-export-runtime-'));
  chmodSync(runtime, 0o700);
  try {
    const results: Record<string, { code: number | null; output: string }> = {};
    for (const name of readdirSync(dir)) {
      const result = spawnSync('systemd-analyze', ['verify', join(dir, name)], {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: runtime },
      });
      results[name] = { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
    }
    return results;
  } finally {
    rmSync(runtime, { recursive: true, force: true });
  }
}

/** The values of `Key=` in a unit file, in order. */
export function unitSettings(file: string, key: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}
