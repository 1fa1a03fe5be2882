import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TendHarness } from './harness.js';

// `tend plan FILE` run again and again on a file that did not change (a CI drift check, a watch loop): the file is
// read and checked each time, the daemon keeps the last plan's desired state so that an unchanged one goes as a
// hash (src/cli/plan-call.ts), and a file written as `module.exports = <JSON>` is read as JSON (src/config/data-module.ts).
// None of it may ever say "No changes" where an apply would change something.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const NO_CHANGES = 'No changes. 2 apps up to date.';

/** Two apps running `tool`, a shell script without an extension (run as it is while it is executable). */
function setUp(): string {
  tend.write('.env', 'GREETING=hello\n');
  const tool = tend.write('tool', '#!/bin/sh\nexec sleep 1000\n');
  chmodSync(tool, 0o755);
  return tend.write(
    'ecosystem.config.js',
    `module.exports = ${JSON.stringify({
      apps: [
        { name: 'a', script: 'tool', env_file: '.env' },
        { name: 'b', script: 'tool', env: { B: '1' } },
      ],
    })};\n`,
  );
}

async function plan(file: string, env?: Record<string, string>): Promise<string> {
  return (await tend.ok(['plan', file], { env })).stdout.trim();
}

describe('plan of an unchanged file, again and again', () => {
  it('says "No changes" each time, and shows an edit of an env_file, of the file, or of the script at once', async () => {
    const file = setUp();
    await tend.ok(['apply', file]);
    expect(await plan(file)).toBe(NO_CHANGES);
    expect(await plan(file)).toBe(NO_CHANGES);

    tend.write('.env', 'GREETING=bonjour\n');
    expect(await plan(file)).toContain('~ a  restart 1 instance: run.env.GREETING "hello" → "bonjour"');
    tend.write('.env', 'GREETING=hello\n');
    expect(await plan(file)).toBe(NO_CHANGES);

    const text = readFileSync(file, 'utf8');
    tend.write('ecosystem.config.js', text.replace('"env":{"B":"1"}', '"env":{"B":"1"},"interpreter":"bash"'));
    expect(await plan(file)).toContain('~ b  restart 1 instance: run.interpreter null → "bash"');
    tend.write('ecosystem.config.js', text);
    expect(await plan(file)).toBe(NO_CHANGES);

    // Not executable any more: the script would run on node. Nothing in the file changed, the plan still sees it.
    chmodSync(join(tend.work, 'tool'), 0o644);
    expect(await plan(file)).toContain(`~ a  restart 1 instance: run.interpreter null → "${process.execPath}"`);
    chmodSync(join(tend.work, 'tool'), 0o755);
    expect(await plan(file)).toBe(NO_CHANGES);
  });

  it('shows what changed on the running side since the last plan', async () => {
    const file = setUp();
    await tend.ok(['apply', file]);
    expect(await plan(file)).toBe(NO_CHANGES);
    await tend.ok(['stop', 'a']);
    expect(await plan(file)).toContain('~ a  resume 1 instance (instance 0 stopped)');
  });

  it('a JS file that reads the environment is run each time: a variable that changed is a change', async () => {
    const file = tend.write(
      'ecosystem.config.js',
      "module.exports = { apps: [{ name: 'a', script: 'sleep', args: '1000', env: { MODE: process.env.MODE } }] };\n",
    );
    await tend.ok(['apply', file], { env: { MODE: 'blue' } });
    expect(await plan(file, { MODE: 'blue' })).toBe('No changes. 1 app up to date.');
    expect(await plan(file, { MODE: 'green' })).toContain('~ a  restart 1 instance: run.env.MODE "blue" → "green"');
    expect(await plan(file, { MODE: 'blue' })).toBe('No changes. 1 app up to date.');
  });

  it('a saved plan made after a repeated plan is carried out as saved', async () => {
    const file = setUp();
    await tend.ok(['apply', file]);
    expect(await plan(file)).toBe(NO_CHANGES);
    tend.write('.env', 'GREETING=bonjour\n');
    const saved = join(tend.work, 'plan.json');
    await tend.ok(['plan', file, '-o', saved]);
    await tend.ok(['plan', file, '-o', saved]);
    const applied = await tend.ok(['apply', saved]);
    expect(applied.stdout).toContain('~ a  restart 1 instance: run.env.GREETING "hello" → "bonjour"');
    expect(await plan(file)).toBe(NO_CHANGES);
  });
});
