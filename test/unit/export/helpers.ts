// Specs as the config layer gives them for a file in /srv/shop, with tend's default log files (which no target loses).
import type { AppSpec } from '../../../src/config/types.js';
import type { ExportOptions } from '../../../src/export/types.js';
import { makeDesired, makeSpec, type SpecOverrides } from '../../fixtures/specs.js';

export const HOME = '/home/ada/.tend';

export const OPTIONS: ExportOptions = {
  home: HOME,
  project: 'shop',
  projectDir: '/srv/shop',
  sourceLabel: 'ecosystem.yml',
  defaultUser: 'ada',
};

/** An app of /srv/shop running `<name>.js` on tend's node, with the given overrides. */
export function app(name: string, overrides: SpecOverrides = {}): AppSpec {
  return makeSpec(name, {
    ...overrides,
    run: {
      script: `/srv/shop/${name}.js`,
      cwd: '/srv/shop',
      interpreter: '/usr/local/bin/node',
      env: {},
      ...overrides.run,
    },
    logs: { out: `${HOME}/logs/${name}-out.log`, err: `${HOME}/logs/${name}-err.log`, ...overrides.logs },
  });
}

export function desired(...apps: AppSpec[]) {
  return makeDesired(apps, '/srv/shop/ecosystem.yml');
}
