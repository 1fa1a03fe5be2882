import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { complete } from '../../../../src/cli/completion/complete.js';

/** A small tree built the way src/cli/program.ts builds tend's. */
function program(): Command {
  const p = new Command('tend').option('--verbose', 'print stack traces').option('--no-color', 'plain output');
  p.command('apply').argument('<file>', 'ecosystem file').option('--only <apps>', 'only these apps').option('--prune');
  p.command('start')
    .argument('[targets...]', 'a script, an ecosystem file, or names/ids of stopped apps')
    .option('-n, --name <name>', 'app name')
    .option('--cwd <dir>', 'working folder')
    .option('--kill-signal <signal>', 'signal sent on stop')
    .option('--watch [paths]', 'restart on change');
  p.command('stop').argument('<targets...>', 'app names, ids, `all`, or an ecosystem file');
  p.command('scale').argument('<app>', 'app name').argument('<count>', 'N, +N or -N');
  p.command('show').aliases(['describe', 'desc']).argument('<target>', 'app name or id');
  p.command('ls').option('--sort <field>', 'name|id|pid|cpu, optionally :asc or :desc');
  p.command('completion').addArgument(p.createArgument('<what>', 'shell').choices(['bash', 'zsh', 'fish']));
  p.command('__complete', { hidden: true });
  return p;
}

const values = (words: string[]) => complete(program(), words).candidates.map((c) => c.value);

describe('completing a tend command line', () => {
  it('offers the verbs --help lists (not the hidden one), filtered by what was typed', () => {
    expect(values(['tend', ''])).toEqual(['apply', 'start', 'stop', 'scale', 'show', 'ls', 'completion', 'help']);
    expect(values(['tend', 'st'])).toEqual(['start', 'stop']);
    expect(values(['tend', '__'])).toEqual([]);
  });

  it('offers an alias only when no verb starts with what was typed', () => {
    expect(values(['tend', 'des'])).toEqual(['describe', 'desc']);
    expect(values(['tend', 's'])).not.toContain('describe');
  });

  it("offers the verb's options and the global ones", () => {
    expect(values(['tend', 'apply', '--'])).toEqual(['--only', '--prune', '--help', '--verbose', '--no-color']);
    expect(values(['tend', 'start', '--w'])).toEqual(['--watch']);
    expect(values(['tend', '--v'])).toEqual(['--verbose']);
  });

  it('completes option values from choices, the placeholder or a list in the help', () => {
    expect(values(['tend', 'ls', '--sort', ''])).toEqual(['name', 'id', 'pid', 'cpu']);
    expect(values(['tend', 'ls', '--sort=c'])).toEqual(['--sort=cpu']);
    expect(values(['tend', 'start', '--kill-signal', 'SIGT'])).toEqual(['SIGTERM']);
    expect(complete(program(), ['tend', 'start', '--cwd', '']).files).toBe('dirs');
    expect(complete(program(), ['tend', 'start', '--name', ''])).toEqual({ candidates: [], typed: '', prefix: '' });
    expect(complete(program(), ['tend', 'apply', '--only', 'a']).apps).toEqual({ ids: false, all: false });
  });

  it('completes arguments by what they take: files, apps with ids and all, choices', () => {
    expect(complete(program(), ['tend', 'apply', ''])).toMatchObject({ files: 'ecosystem' });
    expect(complete(program(), ['tend', 'apply', 'eco.yml', ''])).toEqual({ candidates: [], typed: '', prefix: '' });
    expect(complete(program(), ['tend', 'stop', 'api', ''])).toMatchObject({
      apps: { ids: true, all: true },
      files: 'ecosystem',
    });
    expect(complete(program(), ['tend', 'start', ''])).toMatchObject({ apps: { ids: true, all: false }, files: 'any' });
    expect(complete(program(), ['tend', 'scale', 'w'])).toMatchObject({ apps: { ids: false, all: false }, typed: 'w' });
    expect(complete(program(), ['tend', 'scale', 'web', ''])).toEqual({ candidates: [], typed: '', prefix: '' });
    expect(complete(program(), ['tend', 'desc', ''])).toMatchObject({ apps: { ids: true, all: false } });
    expect(values(['tend', 'completion', 'z'])).toEqual(['zsh']);
  });

  it('counts an option value as no argument, and leaves the words after -- to files', () => {
    expect(complete(program(), ['tend', 'scale', '--verbose', 'web', ''])).toEqual({
      candidates: [],
      typed: '',
      prefix: '',
    });
    expect(complete(program(), ['tend', 'start', '-n', 'api', ''])).toMatchObject({ files: 'any' });
    expect(complete(program(), ['tend', 'start', 'app.js', '--', '--po'])).toEqual({
      candidates: [],
      files: 'any',
      typed: '--po',
      prefix: '',
    });
  });

  it('suggests nothing after a verb it does not know', () => {
    expect(complete(program(), ['tend', 'frobnicate', ''])).toEqual({ candidates: [], typed: '', prefix: '' });
  });
});
