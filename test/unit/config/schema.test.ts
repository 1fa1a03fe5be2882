import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { appKeys, keyInfo, namedEnvKey } from '../../../src/config/keys.js';
import { appValidator, compileSchemaAtRuntime } from '../../../src/config/validator.js';

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  $defs?: Record<string, SchemaNode>;
}

const schema = JSON.parse(readFileSync('schemas/ecosystem.schema.json', 'utf8')) as SchemaNode & { $schema: string };
const app = schema.$defs!.app!;
const appProperties = app.properties!;

describe('schemas/ecosystem.schema.json', () => {
  test('is a valid JSON Schema 2020-12 that ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  test('every property has a description (editors show it on hover)', () => {
    const missing: string[] = [];
    const visit = (node: SchemaNode, path: string): void => {
      for (const [name, child] of Object.entries({ ...node.properties, ...node.patternProperties })) {
        if (!child.description) missing.push(`${path}${name}`);
        visit(child, `${path}${name}.`);
      }
    };
    visit(schema, '');
    visit(app, 'apps[].');
    expect(missing).toEqual([]);
  });

  test('lists exactly the options of src/config/keys.ts, aliases included', () => {
    const fromKeys = Object.entries(appKeys).flatMap(([name, info]) => [name, ...info.aliases]);
    expect(Object.keys(appProperties).sort()).toEqual(fromKeys.sort());
    expect(Object.keys(app.patternProperties!)).toEqual([namedEnvKey.source]);
  });

  test('says which names are aliases and which options tend does not implement yet', () => {
    for (const [name, property] of Object.entries(appProperties)) {
      const info = keyInfo(name)!;
      const canonical = Object.entries(appKeys).find(([, entry]) => entry === info)![0];
      if (canonical !== name) expect(property.description, name).toContain(`Alias of \`${canonical}\``);
      expect(property.description!.includes('not implemented by tend yet'), name).toBe(!info.implemented);
    }
  });
});

describe('the validator in use', () => {
  // Catches a generated validator older than the schema (run `node scripts/gen-validator.mjs`).
  test('gives the same errors as the schema compiled now', async () => {
    const [inUse, fresh] = await Promise.all([appValidator(), compileSchemaAtRuntime()]);
    const apps: unknown[] = [
      { script: 'a.js' },
      { script: 'a.js', instances: 'lots', exec_mode: 'cluster_mode', port: 0, colour: 'red' },
      {
        name: '../x',
        kill_signal: 'SIGTERN',
        max_memory_restart: '1 GiB',
        min_uptime: '5 minutes',
        env: { A: () => 1 },
      },
      { exec: 'a.js', stop_exit_codes: [256, '1'], watch: [1], args: { a: 1 }, env_prod: 'x' },
      'a.js',
      { cmd: 'a.js', log_type: 'xml', cron: 5, uid: 1000, user: 'ann', post_update: 'npm i' },
    ];
    for (const candidate of apps) {
      const summary = (validate: typeof inUse) => {
        const ok = validate(candidate);
        return {
          ok,
          errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`),
        };
      };
      expect(summary(inUse), JSON.stringify(candidate)).toEqual(summary(fresh));
    }
  });
});
