import type { DeployTarget } from '../config/index.js';
import type { DeployAction } from './action.js';
import { shellPath, shellQuote } from './shell-quote.js';

/**
 * What the script prints, alone on a line, to say how the host's part ended: `<mark> ok <what>` on stdout or
 * `<mark> failed <why>` on stderr. The CLI reads it for the summary and does not print it.
 */
export const OUTCOME_MARK = '@@tend-deploy@@';

/**
 * The POSIX sh script one host runs for an action (sent on ssh's stdin to `sh -s`). Every value from the file is a
 * quoted word assigned to a variable at the top; the body only ever expands those variables inside double quotes, and
 * each hook runs as `sh -c "$HOOK"`. Hooks and git read /dev/null, never the rest of the script.
 */
export function remoteScript(target: DeployTarget, action: DeployAction): string {
  // The shell text below never puts a brace after a dollar sign: in these template literals that would be JavaScript's.
  return [header(target, action), FUNCTIONS, body(action), ''].join('\n');
}

function header(target: DeployTarget, action: DeployAction): string {
  const lines = [
    'set -u',
    `DEPLOY_PATH=${shellPath(target.path)}`,
    `REPO=${shellQuote(target.repo)}`,
    `REF=${shellQuote(action.verb === 'update' && action.ref !== undefined ? action.ref : target.ref)}`,
    `KEEP=${Math.max(1, Math.floor(target.keep))}`,
    `MARK=${shellQuote(OUTCOME_MARK)}`,
  ];
  for (const hook of ['pre-setup', 'post-setup', 'pre-deploy', 'post-deploy'] as const)
    lines.push(`${hookVariable(hook)}=${shellQuote(target.hooks[hook] ?? '')}`);
  if (action.verb === 'exec') lines.push(`EXEC_COMMAND=${shellQuote(action.command)}`);
  if (action.verb === 'revert') lines.push(`STEPS=${Math.floor(action.steps)}`);
  // The whole `NAME=value` is one quoted word: a name the schema let through can still not become code.
  for (const [name, value] of Object.entries(target.env)) lines.push(`export ${shellQuote(`${name}=${value}`)}`);
  lines.push('export SHARED="$DEPLOY_PATH/shared"', 'export TEND_DEPLOY_PATH="$DEPLOY_PATH"');
  return lines.join('\n');
}

function hookVariable(hook: string): string {
  return `HOOK_${hook.replace('-', '_').toUpperCase()}`;
}

// Release names are `<UTC time>-<short sha>`: they sort by time, and hold nothing a shell would read.
const FUNCTIONS = String.raw`
ok() { printf '%s ok %s\n' "$MARK" "$*"; exit 0; }
fail() { printf '%s failed %s\n' "$MARK" "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }
releases() {
  ls -1 "$DEPLOY_PATH/releases" 2>/dev/null | grep -E '^[0-9]{14}-[0-9a-f]+$' | sort
}
current_name() {
  [ -L "$DEPLOY_PATH/current" ] || return 0
  basename "$(readlink "$DEPLOY_PATH/current")"
}
describe() {
  commit=$(cat "$DEPLOY_PATH/releases/$1/.tend-release" 2>/dev/null)
  printf '%s  %s\n' "$1" "$commit"
}
switch_to() {
  link="$DEPLOY_PATH/.current-$$"
  rm -f "$link"
  ln -s "$DEPLOY_PATH/releases/$1" "$link" && mv -T "$link" "$DEPLOY_PATH/current"
}
run_hook() {
  [ -n "$3" ] || return 0
  say "running $1 in $2"
  ( cd "$2" && sh -c "$3" ) </dev/null
}
prune() {
  keep_name=$(current_name)
  count=0
  for old in $(releases | sort -r); do
    count=$((count + 1))
    [ "$count" -le "$KEEP" ] && continue
    [ "$old" = "$keep_name" ] && continue
    rm -rf "$DEPLOY_PATH/releases/$old" && say "removed release $old"
  done
}
require_setup() {
  [ -d "$DEPLOY_PATH/source/.git" ] || fail "$DEPLOY_PATH/source is not a git clone: run setup first"
}
`;

function body(action: DeployAction): string {
  switch (action.verb) {
    case 'setup':
      return SETUP;
    case 'update':
      return UPDATE;
    case 'revert':
      return REVERT;
    case 'curr':
      return oneRelease('current', 'shown="$name"');
    case 'prev':
      return oneRelease('previous', PREVIOUS_RELEASE);
    case 'list':
      return `
name=$(current_name)
count=0
for release in $(releases); do
  count=$((count + 1))
  if [ "$release" = "$name" ]; then printf '* '; else printf '  '; fi
  describe "$release"
done
ok "$count release(s)"`;
    case 'exec':
      return `
dir="$DEPLOY_PATH/current"
[ -d "$dir" ] || dir="$DEPLOY_PATH"
cd "$dir" || fail "cannot enter $dir"
sh -c "$EXEC_COMMAND" </dev/null
status=$?
[ "$status" -eq 0 ] || fail "the command exited with code $status"
ok "ran in $dir"`;
  }
}

/**
 * `curr` and `prev`: one release described, and named in the outcome as `<word> <release>`. `pick` is the sh that sets
 * `shown` from `name`, the current release (or fails when there is none to show).
 */
function oneRelease(word: 'current' | 'previous', pick: string): string {
  return `
name=$(current_name)
[ -n "$name" ] || fail "no release is current yet: run update"
${pick}
describe "$shown"
ok "${word} $shown"`;
}

const PREVIOUS_RELEASE = `shown=$(releases | awk -v cur="$name" '{ a[NR] = $0; if ($0 == cur) i = NR } END { if (i > 1) print a[i - 1] }')
[ -n "$shown" ] || fail "no release before $name"`;

const SETUP = `
mkdir -p "$DEPLOY_PATH/releases" "$DEPLOY_PATH/shared" || fail "cannot make $DEPLOY_PATH"
run_hook pre-setup "$DEPLOY_PATH" "$HOOK_PRE_SETUP" || fail "pre-setup failed (exit $?)"
if [ -d "$DEPLOY_PATH/source/.git" ]; then
  say "$DEPLOY_PATH/source is already a clone"
else
  say "cloning $REPO into $DEPLOY_PATH/source"
  git clone --quiet -- "$REPO" "$DEPLOY_PATH/source" </dev/null || fail "git clone of $REPO failed"
fi
run_hook post-setup "$DEPLOY_PATH/source" "$HOOK_POST_SETUP" || fail "post-setup failed (exit $?)"
ok "set up in $DEPLOY_PATH"`;

const UPDATE = `
require_setup
source="$DEPLOY_PATH/source"
# The file's repo wins over the one the clone was made from, so changing \`repo\` needs no new setup.
git -C "$source" remote set-url origin "$REPO" </dev/null || fail "cannot point $source at $REPO"
git -C "$source" fetch --quiet --prune --tags origin </dev/null || fail "git fetch from $REPO failed"
sha=$(git -C "$source" rev-parse --verify --quiet "origin/$REF^{commit}" </dev/null) ||
  sha=$(git -C "$source" rev-parse --verify --quiet "$REF^{commit}" </dev/null) ||
  fail "ref $REF is not in $REPO"
short=$(printf '%s' "$sha" | cut -c1-7)
# Releases sort by their names: one second holds one release, so two updates in a second keep their order.
stamp=$(date -u +%Y%m%d%H%M%S)
while ls "$DEPLOY_PATH/releases" 2>/dev/null | grep -q "^$stamp-"; do sleep 1; stamp=$(date -u +%Y%m%d%H%M%S); done
name="$stamp-$short"
release="$DEPLOY_PATH/releases/$name"
mkdir -p "$release" || fail "cannot make $release"
git -C "$source" archive --format=tar -o "$release.tar" "$sha" </dev/null &&
  tar -x -f "$release.tar" -C "$release" </dev/null ||
  { rm -rf "$release" "$release.tar"; fail "cannot write release $name from $sha"; }
rm -f "$release.tar"
git -C "$source" log -1 --format='%h %s' "$sha" >"$release/.tend-release" </dev/null
say "release $name: $(cat "$release/.tend-release")"
previous=$(current_name)
was="$previous"
[ -n "$was" ] || was="no release"
export TEND_RELEASE="$release"
run_hook pre-deploy "$release" "$HOOK_PRE_DEPLOY" || {
  status=$?
  rm -rf "$release"
  fail "pre-deploy failed (exit $status); current stays on $was"
}
switch_to "$name" || fail "cannot point $DEPLOY_PATH/current at $name"
run_hook post-deploy "$release" "$HOOK_POST_DEPLOY" || {
  status=$?
  if [ -n "$previous" ]; then switch_to "$previous"; else rm -f "$DEPLOY_PATH/current"; fi
  fail "post-deploy failed (exit $status); current is back on $was"
}
prune
ok "current $name"`;

const REVERT = `
require_setup
name=$(current_name)
[ -n "$name" ] || fail "no release is current yet: nothing to revert"
back=$(releases | awk -v cur="$name" -v n="$STEPS" '{ a[NR] = $0; if ($0 == cur) i = NR } END { if (i > n) print a[i - n] }')
[ -n "$back" ] || fail "there are not $STEPS release(s) before $name"
say "reverting from $name to $back"
switch_to "$back" || fail "cannot point $DEPLOY_PATH/current at $back"
export TEND_RELEASE="$DEPLOY_PATH/releases/$back"
run_hook post-deploy "$TEND_RELEASE" "$HOOK_POST_DEPLOY" || {
  status=$?
  switch_to "$name"
  fail "post-deploy failed (exit $status); current is back on $name"
}
ok "current $back"`;
