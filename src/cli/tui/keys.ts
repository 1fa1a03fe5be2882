/** What a key press asks the dashboard to do. */
export type KeyAction =
  | 'up'
  | 'down'
  | 'top'
  | 'bottom'
  | 'pageUp'
  | 'pageDown'
  | 'restart'
  | 'stop'
  | 'quit'
  | 'redraw';

// Longest first, so `\u001b[5~` is not read as a bare escape followed by text.
const SEQUENCES: Array<[string, KeyAction]> = [
  ['\u001b[5~', 'pageUp'],
  ['\u001b[6~', 'pageDown'],
  ['\u001b[1~', 'top'],
  ['\u001b[4~', 'bottom'],
  ['\u001b[A', 'up'],
  ['\u001b[B', 'down'],
  ['\u001b[H', 'top'],
  ['\u001b[F', 'bottom'],
  // Application cursor mode (some terminals and tmux send these).
  ['\u001bOA', 'up'],
  ['\u001bOB', 'down'],
  ['\u001bOH', 'top'],
  ['\u001bOF', 'bottom'],
];

const SINGLE: Record<string, KeyAction> = {
  k: 'up',
  j: 'down',
  g: 'top',
  G: 'bottom',
  r: 'restart',
  s: 'stop',
  q: 'quit',
  Q: 'quit',
  '\u0003': 'quit', // Ctrl-C: raw mode delivers it as a byte, not as SIGINT.
  '\u0004': 'quit', // Ctrl-D
  '\u000c': 'redraw', // Ctrl-L
};

/**
 * Turns what the terminal sent (one read may hold several keys, e.g. a held arrow key)
 * into actions; unknown keys and sequences are skipped.
 */
export function keyActions(data: string): KeyAction[] {
  const actions: KeyAction[] = [];
  let i = 0;
  outer: while (i < data.length) {
    for (const [sequence, action] of SEQUENCES) {
      if (data.startsWith(sequence, i)) {
        actions.push(action);
        i += sequence.length;
        continue outer;
      }
    }
    if (data[i] === '\u001b') {
      // An escape sequence we do not use: skip it whole (CSI up to its final byte), or the lone escape.
      const csi = /^\u001b[[O][0-?]*[ -/]*[@-~]/.exec(data.slice(i));
      i += csi ? csi[0].length : 1;
      continue;
    }
    const action = SINGLE[data[i]!];
    if (action) actions.push(action);
    i += 1;
  }
  return actions;
}
