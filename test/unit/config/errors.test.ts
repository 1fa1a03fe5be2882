import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { baseOptions, lines, tendErrorOf } from './helpers.js';

const dir = 'test/fixtures/ecosystems/errors';
const durationWords = 'a duration: milliseconds, or a string such as "500ms", "10s", "5m" or "1h"';
const nameWords = 'a non-empty name without "/", "\\", "..", NUL or a leading "." (it names the log files)';

describe('every problem names line:column, key path and what was expected', () => {
  test.each([
    [
      'type-error.yml',
      'CONFIG_INVALID',
      ['6:16 apps[1].instances: expected a whole number ≥ -CPUs, or "max"; got "lots"'],
    ],
    [
      'unknown-key.yml',
      'CONFIG_INVALID',
      [
        '4:5 apps[0].max_memory_restar: unknown key `max_memory_restar`; did you mean `max_memory_restart`?',
        '5:5 apps[0].maxMemoryRestrat: unknown key `maxMemoryRestrat`; did you mean `max_memory_restart`?',
        '6:5 apps[0].colour: unknown key `colour`',
      ],
    ],
    ['syntax.yml', 'CONFIG_SYNTAX', ['4:1 Sequence item without - indicator']],
    ['syntax.json', 'CONFIG_SYNTAX', ["4:5 Expected ',' or ']' after array element"]],
    [
      'bad-enum.yml',
      'CONFIG_INVALID',
      [
        '4:16 apps[0].exec_mode: expected "fork" or "cluster"; got "clusterr"',
        '5:18 apps[0].kill_signal: expected a signal name such as "SIGTERM" or "SIGINT"; got "SIGTERN"',
      ],
    ],
    [
      'bad-units.yml',
      'CONFIG_INVALID',
      [
        `4:17 apps[0].min_uptime: expected ${durationWords}; got "10 seconds"`,
        '5:25 apps[0].max_memory_restart: expected a size: bytes, or a string such as "512K", "150M" or "1G"; got "150 MiB"',
        `6:20 apps[0].restart_delay: expected ${durationWords}; got -5`,
      ],
    ],
    [
      'bad-name.yml',
      'CONFIG_INVALID',
      [
        `2:11 apps[0].name: expected ${nameWords}; got "../escape"`,
        `4:11 apps[1].name: expected ${nameWords}; got ".hidden"`,
        `6:11 apps[2].name: expected ${nameWords}; got ""`,
      ],
    ],
    [
      'duplicates.yml',
      'CONFIG_INVALID',
      [
        '4:11 apps[1].name: duplicate app name `web` (also apps[0]); give each app its own `name`',
        "7:13 apps[3].script: duplicate app name `app`, taken from the script's file name (also apps[2]); give each app its own `name`",
      ],
    ],
    // Each instance is a process: a million of them exhausted the machine while apply waited for ever.
    [
      'too-many.yml',
      'CONFIG_INVALID',
      [
        '5:16 apps[0].instances: 1000000 instances is over the limit of 1024 per app (each is a process; TEND_MAX_INSTANCES raises it)',
      ],
    ],
    // Names are printed in tables and logs, and `all` is a target: unsafe or ambiguous names are refused (a number is not).
    [
      'unsafe-names.yml',
      'CONFIG_INVALID',
      [
        '2:11 apps[0].name: app name "two\\nlines" cannot contain a control character (a newline, a tab, an escape sequence): it is printed in tables and logs; set `name`',
        '4:11 apps[1].name: app name "\\u001b[31mred" cannot contain a control character (a newline, a tab, an escape sequence): it is printed in tables and logs; set `name`',
        '6:11 apps[2].name: an app cannot be named `all`: `tend stop all` means every app; set `name`',
        '8:11 apps[3].name: app name "bad\ufffd" holds bytes that are not valid UTF-8; set `name`',
      ],
    ],
    // The parsers would keep one of two equal keys, and JavaScript makes `__proto__` a prototype: both are refused.
    [
      'duplicate-keys.yml',
      'CONFIG_INVALID',
      [
        '6:7 apps[0].env.PORT: `PORT` is given twice in the same mapping (first at line 5, column 7); only one would count',
        '7:5 apps[0].__proto__: `__proto__` cannot be a key: JavaScript would make it the prototype and drop what it holds',
      ],
    ],
    [
      'duplicate-keys.json',
      'CONFIG_INVALID',
      [
        '7:7 apps[0].instances: `instances` is given twice in the same mapping (first at line 6, column 7); only one would count',
      ],
    ],
    [
      'many.json',
      'CONFIG_INVALID',
      [
        '6:20 apps[0].instances: expected a whole number ≥ -CPUs, or "max"; got "lots"',
        '7:22 apps[0].autorestart: expected true or false; got "yes"',
        '9:5 apps[1]: missing `script`: the program this app runs',
        '12:7 apps[1].watch_dela: unknown key `watch_dela`; did you mean `watch_delay`?',
      ],
    ],
    [
      'missing-script.yml',
      'CONFIG_INVALID',
      [
        `3:13 apps[0].script: script \`./missing.js\` not found: ${join(process.cwd(), dir, 'missing.js')}`,
        `5:13 apps[1].script: script \`no-such-command-tend-test\` not found at ${join(process.cwd(), dir, 'no-such-command-tend-test')} nor on PATH`,
      ],
    ],
    [
      'not-a-list.yml',
      'CONFIG_INVALID',
      ['2:3 apps: expected a list of apps; got a mapping ({"name":"web","script":"app.js"})'],
    ],
    // A value brought in by `<<: *defaults` is reported where the anchor defines it.
    [
      'anchors.yml',
      'CONFIG_INVALID',
      [
        '3:23 apps[0].max_memory_restart: expected a size: bytes, or a string such as "512K", "150M" or "1G"; got "lots"',
      ],
    ],
    // JS files have no syntax tree to map back to: the key is found by searching the text near the app's name.
    [
      'errors.config.js',
      'CONFIG_INVALID',
      ['4:49 apps[1].instances: expected a whole number ≥ -CPUs, or "max"; got "lots"'],
    ],
    ['throws.config.js', 'CONFIG_LOAD', ['2:7 Error: cannot read secrets']],
  ])('%s', async (name, code, expected) => {
    const file = join(dir, name);
    const error = await tendErrorOf(() => loadDesiredState(file, baseOptions));
    expect(error.code).toBe(code);
    expect(lines(error.problems)).toEqual(expected);
    for (const problem of error.problems) expect(problem.position?.file).toBe(file);
  });

  test('describe() prints one `file:line:column path: message` line per problem', async () => {
    const error = await tendErrorOf(() => loadDesiredState(join(dir, 'type-error.yml'), baseOptions));
    expect(error.describe()).toBe(
      `${dir}/type-error.yml: 1 problem\n  ${dir}/type-error.yml:6:16 apps[1].instances: expected a whole number ≥ -CPUs, or "max"; got "lots"`,
    );
  });
});

describe('warnings', () => {
  test('options tend does not act on yet are accepted with a positioned warning each', async () => {
    const desired = await loadDesiredState(join(dir, 'warnings.yml'), baseOptions);
    expect(desired.apps.map((app) => app.name)).toEqual(['web']);
    expect(lines(desired.warnings)).toEqual([
      '6:5 apps[0].treekill: `treekill` is accepted but not implemented yet; tend ignores it',
      // `apply` does not deploy: the section's problems are `tend deploy`'s, said here and stopping nothing.
      '9:5 deploy.production: for `tend deploy`: missing `host`: a host name (`web1`, `deploy@web1`, `web1:2222`) or a list of them',
      '9:5 deploy.production: for `tend deploy`: missing `repo`: a git repository URL or path (not starting with `-`)',
      "9:5 deploy.production: for `tend deploy`: missing `path`: an absolute folder on the host (`/var/www/app`, or `~/app` in the ssh user's home)",
    ]);
  });

  test('--env with a name no app defines is a warning', async () => {
    const desired = await loadDesiredState(join('test/fixtures/ecosystems/formats', 'ecosystem.yml'), {
      ...baseOptions,
      envName: 'staging',
    });
    expect(desired.warnings).toEqual([
      { message: '--env staging: no app defines `env_staging`, so only `env` applies' },
    ]);
  });
});
