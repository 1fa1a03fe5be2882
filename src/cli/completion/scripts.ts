/**
 * The completion scripts. Each is a thin shell function that asks `tend __complete` (the hidden verb, answered from
 * commander's tree, src/cli/completion/complete.ts) and hands the answer to the shell: one suggestion a line
 * (`value<TAB>help`), and `__files__`, `__dirs__` or `__ecosystem__` where the shell's own file completion should add
 * its names. So a script written once keeps completing new verbs, and upgrading tend needs no new script.
 */

export type Shell = 'bash' | 'zsh' | 'fish';

export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** The files `tend apply` reads as ecosystem files, as src/config/file-kind.ts tells them from scripts. */
const ECOSYSTEM_PATTERNS = ['*.yml', '*.yaml', '*.json', '*.json5', '*.config.js', '*.config.cjs', '*.config.mjs'];

/** Folders (to go into) and ecosystem files, by the end of a completion line (`path` or `path<TAB>help`). */
function fishEcosystemRegex(): string {
  const ends = ECOSYSTEM_PATTERNS.map((pattern) => pattern.slice(1).replaceAll('.', '\\.'));
  return `(/|${ends.join('|')})(\\t.*)?$`;
}

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
  }
}

const BASH = `# bash completion for tend: \`source <(tend completion bash)\`, or \`tend completion install\` to load it in every shell.
_tend_completion() {
  local cur words cword line file
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    cur=\${COMP_WORDS[COMP_CWORD]}
    words=("\${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  COMPREPLY=()
  while IFS= read -r line; do
    case $line in
      __files__)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur") ;;
      __dirs__)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur") ;;
      __ecosystem__)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
        while IFS= read -r file; do
          case $file in ${ECOSYSTEM_PATTERNS.join('|')}) [ -d "$file" ] || COMPREPLY+=("$file") ;; esac
        done < <(compgen -f -- "$cur") ;;
      *) COMPREPLY+=("\${line%%$'\\t'*}") ;;
    esac
  done < <(tend __complete -- "\${words[@]:0:cword}" "$cur" 2>/dev/null)
}
complete -F _tend_completion tend
`;

const ZSH = `#compdef tend
# zsh completion for tend: \`source <(tend completion zsh)\`, or \`tend completion install\` to load it in every shell.
_tend() {
  local -a described
  local line kind=
  for line in "\${(@f)$(tend __complete --shell zsh -- "\${(@)words[1,CURRENT]}" 2>/dev/null)}"; do
    case $line in
      __files__) kind=files ;;
      __dirs__) kind=dirs ;;
      __ecosystem__) kind=ecosystem ;;
      '') ;;
      *) described+=("$line") ;;
    esac
  done
  (( \${#described} )) && _describe -t values tend described
  case $kind in
    files) _files ;;
    dirs) _files -/ ;;
    ecosystem) _files -g '(${ECOSYSTEM_PATTERNS.join('|')})' ;;
  esac
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _tend "$@"
else
  (( $+functions[compdef] )) || { autoload -Uz compinit && compinit -i }
  compdef _tend tend
fi
`;

const FISH = `# fish completion for tend: \`tend completion fish | source\`, or \`tend completion install\` to load it in every shell.
function __tend_complete
    set -l before (commandline -opc)
    set -l current (commandline -ct)
    for line in (tend __complete --shell fish -- $before "$current" 2>/dev/null)
        switch $line
            case __files__
                __fish_complete_path "$current"
            case __dirs__
                __fish_complete_directories "$current"
            case __ecosystem__
                for path in (__fish_complete_path "$current")
                    string match -q -r -- '${fishEcosystemRegex()}' $path; and printf '%s\\n' $path
                end
            case '*'
                printf '%s\\n' $line
        end
    end
end
complete -c tend -f -a '(__tend_complete)'
`;
