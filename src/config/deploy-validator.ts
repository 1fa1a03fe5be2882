import type { AppValidator } from './validate-types.js';
import { compileDefAtRuntime } from './validator.js';

let cached: Promise<AppValidator> | undefined;

/**
 * The validator of one `deploy.<name>` section, compiled at build time with the app validator
 * (scripts/gen-validator.mjs); compiled from the schema with ajv when that file has not been generated.
 */
export function deployValidator(): Promise<AppValidator> {
  cached ??= loadGenerated().catch(() => compileDefAtRuntime('deployTarget'));
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
