import type { Argument, Command, Option } from 'commander';

/** One suggestion, with the help line zsh and fish show beside it. */
export interface Candidate {
  value: string;
  description?: string;
}

/** Files the shell itself should offer: any, folders only, or ecosystem files (and folders to reach them). */
export type FileKind = 'any' | 'dirs' | 'ecosystem';

/** What to suggest for the word under the cursor. */
export interface Completion {
  /** Already filtered by the word typed so far. */
  candidates: Candidate[];
  /** App names, and ids and `all` where the argument takes them: asked of a running daemon by the caller. */
  apps?: { ids: boolean; all: boolean };
  files?: FileKind;
  /** The word typed so far (for `--opt=va`, the `va`): app names are filtered by it. */
  typed: string;
  /** Put before each app name (`--opt=`), so the shell replaces the whole word. */
  prefix: string;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'];

/**
 * The suggestions for a command line, read from commander's own tree (the one `--help` prints), so a new verb, option
 * or argument is completed with no work of its own. `words` is the line up to the cursor: the program's name first,
 * the word being typed last (empty after a space).
 */
export function complete(program: Command, words: readonly string[]): Completion {
  const typed = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  const before = words.slice(1, -1);
  let command = program;
  let positional = 0;
  let pending: Option | null = null;
  let appArgs = false;
  for (const word of before) {
    if (pending) {
      pending = null;
      continue;
    }
    if (appArgs) continue;
    if (word === '--') {
      appArgs = true;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      const option = findOption(command, program, word.split('=')[0]!);
      if (option && takesValue(option) && !word.includes('=')) pending = option;
      continue;
    }
    if (command === program) {
      const verb = findCommand(program, word);
      if (!verb) return nothing(typed);
      command = verb;
      continue;
    }
    positional++;
  }
  // After `--`, the words are the app's: only files make sense.
  if (appArgs) return { ...nothing(typed), files: 'any' };
  if (pending) return optionValue(pending, typed, '');
  if (typed.startsWith('--') && typed.includes('=')) {
    const name = typed.slice(0, typed.indexOf('='));
    const option = findOption(command, program, name);
    return option && takesValue(option)
      ? optionValue(option, typed.slice(name.length + 1), `${name}=`)
      : nothing(typed);
  }
  if (typed.startsWith('-')) return { ...nothing(typed), candidates: filter(options(command, program), typed) };
  if (command === program) return { ...nothing(typed), candidates: verbs(program, typed) };
  return argumentValue(program, command, positional, typed);
}

function nothing(typed: string): Completion {
  return { candidates: [], typed, prefix: '' };
}

function filter(candidates: Candidate[], typed: string): Candidate[] {
  return candidates.filter((c) => c.value.startsWith(typed));
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function findCommand(program: Command, word: string): Command | undefined {
  return program.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

function findOption(command: Command, program: Command, flag: string): Option | undefined {
  const matches = (o: Option): boolean => o.long === flag || o.short === flag;
  return command.options.find(matches) ?? program.options.find(matches);
}

/** The verbs `tend --help` lists; their aliases only when no verb starts with what was typed (`des` → describe). */
function verbs(program: Command, typed: string): Candidate[] {
  const visible = program.createHelp().visibleCommands(program);
  const named = filter(
    visible.map((c) => ({ value: c.name(), description: firstLine(c.summary() || c.description()) })),
    typed,
  );
  if (named.length > 0 || typed === '') return named;
  return filter(
    visible.flatMap((c) => c.aliases().map((alias) => ({ value: alias, description: `same as ${c.name()}` }))),
    typed,
  );
}

/** The command's options and the global ones, as `--help` shows them: long names, short ones only when alone. */
function options(command: Command, program: Command): Candidate[] {
  const help = program.createHelp();
  const own = help.visibleOptions(command);
  const global = command === program ? [] : help.visibleOptions(program).filter((o) => o.long !== '--help');
  return [...own, ...global]
    .map((o) => ({ value: o.long ?? o.short ?? '', description: firstLine(o.description) }))
    .filter((c) => c.value !== '');
}

function optionValue(option: Option, typed: string, prefix: string): Completion {
  const result = (values: string[]): Completion => ({
    candidates: filter(
      values.map((value) => ({ value })),
      typed,
    ).map((c) => ({ value: prefix + c.value })),
    typed,
    prefix,
  });
  if (option.argChoices) return result(option.argChoices);
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  if (placeholder === 'file') return { ...result([]), files: 'any' };
  if (placeholder === 'dir' || placeholder === 'home' || placeholder === 'paths')
    return { ...result([]), files: 'dirs' };
  if (placeholder === 'apps') return { ...result([]), apps: { ids: false, all: false } };
  if (placeholder === 'signal') return result(SIGNALS);
  // A description that lists the values, as `--sort`'s "name|id|pid|…".
  const listed = /\b([a-z]+(?:\|[a-z]+)+)\b/.exec(option.description)?.[1];
  return result(listed ? listed.split('|') : []);
}

/** By the argument's name and what its help says it takes: the same words a user reads in `tend VERB --help`. */
function argumentValue(program: Command, command: Command, positional: number, typed: string): Completion {
  const args = command.registeredArguments;
  const last = args[args.length - 1];
  const arg: Argument | undefined = args[positional] ?? (last?.variadic ? last : undefined);
  const base = nothing(typed);
  if (!arg) return base;
  if (arg.argChoices)
    return {
      ...base,
      candidates: filter(
        arg.argChoices.map((value) => ({ value })),
        typed,
      ),
    };
  const name = arg.name();
  const description = arg.description;
  if (name === 'command') return { ...base, candidates: verbs(program, typed) };
  if (name === 'file') return { ...base, files: 'ecosystem' };
  if (name === 'script') return { ...base, files: 'any' };
  if (name === 'app' || name === 'target' || name === 'targets') {
    const files = /\bscript\b/.test(description) ? 'any' : /\bfile\b/.test(description) ? 'ecosystem' : undefined;
    return {
      ...base,
      apps: { ids: /\bids?\b/.test(description), all: description.includes('`all`') },
      ...(files ? { files } : {}),
    };
  }
  return base;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
