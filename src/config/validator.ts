import type { AppValidator } from './validate-types.js';

let cached: Promise<AppValidator> | undefined;

/**
 * The app validator compiled at build time (scripts/gen-validator.mjs), so a CLI run loads neither
 * ajv nor the schema. When that file has not been generated (a fresh checkout running tests),
 * the schema is compiled with ajv instead: slower, same answers.
 */
export function appValidator(): Promise<AppValidator> {
  cached ??= loadGenerated().catch(() => compileSchemaAtRuntime());
  return cached;
}

async function loadGenerated(): Promise<AppValidator> {
  // `as string` keeps the type checker from requiring the generated file; esbuild still bundles it.
  const generated = (await import('./generated/validate-ecosystem.js' as string)) as { validateApp: AppValidator };
  return generated.validateApp;
}

/** Compiles the schema with ajv, with the options scripts/gen-validator.mjs uses. */
export function compileSchemaAtRuntime(): Promise<AppValidator> {
  return compileDefAtRuntime('app');
}

/** One `$defs` entry of the schema, compiled with ajv as scripts/gen-validator.mjs compiles it. */
export async function compileDefAtRuntime(def: string): Promise<AppValidator> {
  const [{ Ajv2020 }, schemaModule] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('../../schemas/ecosystem.schema.json', { with: { type: 'json' } }),
  ]);
  const schema = schemaModule.default;
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true, strictRequired: false });
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}#/$defs/${def}`);
  if (!validate) throw new Error(`schemas/ecosystem.schema.json has no $defs/${def}`);
  return validate as AppValidator;
}
