import { describe, expect, test } from 'vitest';
import { maskSecret } from '../../../src/api/secrets.js';

describe("a module's settings in TEND_MODULE_CONFIG are masked as their own variables are", () => {
  test.each([
    ['{"urls":"http://a","api_token":"t0k"}', '{"urls":"http://a","api_token":"***"}'],
    ['{"password":"pw","retries":3}', '{"password":"***","retries":3}'],
    ['{"urls":"http://a"}', '{"urls":"http://a"}'],
    ['not json', 'not json'],
    ['[1,2]', '[1,2]'],
  ])('%s → %s', (value, shown) => {
    expect(maskSecret('TEND_MODULE_CONFIG', value)).toBe(shown);
  });

  test('each setting of its own keeps the rule by name', () => {
    expect(maskSecret('TEND_CONFIG_API_TOKEN', 't0k')).toBe('***');
    expect(maskSecret('TEND_CONFIG_URLS', 'http://a')).toBe('http://a');
  });
});
