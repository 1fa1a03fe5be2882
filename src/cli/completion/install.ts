import { join } from 'node:path';
import { completionScript, type Shell } from './scripts.js';

/** File access for installing the scripts: the real one in the command, a map in tests. */
export interface FilePorts {
  read(path: string): string | null;
  /** Writes the file, making its folder first. */
  write(path: string, text: string): void;
  remove(path: string): void;
}

/** Where a shell's script goes, and the startup file that must load it (none for fish, which loads its folder itself). */
export interface CompletionPlaces {
  script: string;
  rc: string | null;
}

/**
 * bash: bash-completion's own folder for the user (it loads from there on its own, where it is installed), and a line in
 * ~/.bashrc for the machines without it. zsh: a file of tend's, sourced from .zshrc. fish: its completions folder.
 */
export function completionPlaces(shell: Shell, home: string, env: NodeJS.ProcessEnv): CompletionPlaces {
  const data = nonEmpty(env.XDG_DATA_HOME) ?? join(home, '.local', 'share');
  const config = nonEmpty(env.XDG_CONFIG_HOME) ?? join(home, '.config');
  switch (shell) {
    case 'bash':
      return { script: join(data, 'bash-completion', 'completions', 'tend'), rc: join(home, '.bashrc') };
    case 'zsh':
      return { script: join(data, 'tend', 'completion.zsh'), rc: join(nonEmpty(env.ZDOTDIR) ?? home, '.zshrc') };
    case 'fish':
      return { script: join(config, 'fish', 'completions', 'tend.fish'), rc: null };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const BEGIN = '# >>> tend completion >>>';
const END = '# <<< tend completion <<<';

/** The lines added to a startup file: marked, so that `uninstall` finds them and a second `install` adds nothing. */
export function rcBlock(script: string): string {
  const quoted = `'${script.replaceAll("'", `'\\''`)}'`;
  return `${BEGIN}\n[ -f ${quoted} ] && . ${quoted}\n${END}\n`;
}

/** What an install or uninstall changed, one line each for the user; empty when nothing had to change. */
export type Changes = string[];

export function installCompletion(shell: Shell, places: CompletionPlaces, files: FilePorts): Changes {
  const changes: Changes = [];
  const script = completionScript(shell);
  if (files.read(places.script) !== script) {
    files.write(places.script, script);
    changes.push(`wrote ${places.script}`);
  }
  if (places.rc) {
    const rc = files.read(places.rc) ?? '';
    const block = rcBlock(places.script);
    const without = removeBlock(rc);
    if (!rc.includes(block)) {
      files.write(places.rc, `${without}${without === '' || without.endsWith('\n') ? '' : '\n'}${block}`);
      changes.push(`${places.rc} loads it (between the lines "${BEGIN}" and "${END}")`);
    }
  }
  return changes;
}

export function uninstallCompletion(places: CompletionPlaces, files: FilePorts): Changes {
  const changes: Changes = [];
  if (files.read(places.script) !== null) {
    files.remove(places.script);
    changes.push(`removed ${places.script}`);
  }
  const rc = places.rc === null ? null : files.read(places.rc);
  if (places.rc && rc !== null && rc !== removeBlock(rc)) {
    files.write(places.rc, removeBlock(rc));
    changes.push(`removed tend's lines from ${places.rc}`);
  }
  return changes;
}

/** The text without tend's block (and without the one line break it brought). */
function removeBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  if (start < 0) return text;
  const end = text.indexOf(END, start);
  if (end < 0) return text;
  let after = end + END.length;
  if (text[after] === '\n') after++;
  return text.slice(0, start) + text.slice(after);
}
