import type { AppValidator } from './validate-types.js';

let cached: Promise<AppValidator> | undefined;

/**
 * The validator of one `deploy.<name>` section, compiled at build time with the app validator
 * (scripts/gen-validator.mjs); compiled from the schema with ajv when that file has not been generated.
 */
export function deployValidator(): Promise<AppValidator> {
  cached ??= loadGenerated().catch(() => compileAtRuntime());
  return cached;
}

async function loadGenerated(): Promise<AppValidator> {
  // `as string` keeps the type checker from requiring the generated file; esbuild still bundles it.
  const generated = (await import('./generated/validate-ecosystem.js' as string)) as {
    validateDeployTarget?: AppValidator;
  };
  if (!generated.validateDeployTarget) throw new Error('the generated validator predates deploy targets');
  return generated.validateDeployTarget;
}

async function compileAtRuntime(): Promise<AppValidator> {
  const [{ Ajv2020 }, schemaModule] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('../../schemas/ecosystem.schema.json', { with: { type: 'json' } }),
  ]);
  const schema = schemaModule.default;
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true, strictRequired: false });
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}#/$defs/deployTarget`);
  if (!validate) throw new Error('schemas/ecosystem.schema.json has no $defs/deployTarget');
  return validate as AppValidator;
}
