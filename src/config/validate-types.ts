import type { ErrorObject } from 'ajv';

/** A compiled validator for one app object (generated at build time, or compiled at run time as a fallback). */
export interface AppValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
