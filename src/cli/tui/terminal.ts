import { clearScreen, enterAltScreen, hideCursor, leaveAltScreen, moveTo, resetStyle, showCursor } from './ansi.js';
import type { ScreenSize } from './layout.js';

/** What the dashboard needs from a terminal; tests pass a fake. */
export interface Screen {
  enter(onKeys: (data: string) => void, onResize: () => void): void;
  size(): ScreenSize;
  draw(lines: readonly string[]): void;
  restore(): void;
}

/**
 * The terminal while the dashboard owns it: alternate screen, hidden cursor, raw keys. `restore`
 * undoes all of it, may be called any number of times, and also runs on process exit, so no path
 * (q, Ctrl-C, a signal, an error, the daemon going away) leaves the shell in the alternate screen.
 */
export class TerminalSession implements Screen {
  private active = false;
  private readonly onExit = (): void => this.restore();
  private readonly onData = (data: string): void => this.keys?.(data);
  private readonly onResize = (): void => {
    this.output.write(clearScreen);
    this.resized?.();
  };
  private keys: ((data: string) => void) | null = null;
  private resized: (() => void) | null = null;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {}

  /** Takes the terminal over; `onKeys` gets what the user types, `onResize` runs after a size change. */
  enter(onKeys: (data: string) => void, onResize: () => void): void {
    if (this.active) return;
    this.active = true;
    this.keys = onKeys;
    this.resized = onResize;
    process.once('exit', this.onExit);
    this.output.write(enterAltScreen + hideCursor + clearScreen);
    if (this.input.isTTY) this.input.setRawMode(true);
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.resume();
    // Node emits 'resize' on the output stream when SIGWINCH arrives.
    this.output.on('resize', this.onResize);
  }

  size(): ScreenSize {
    return { columns: this.output.columns || 80, rows: this.output.rows || 24 };
  }

  /** Draws a whole frame; every line is already exactly as wide as the screen, so nothing old shows through. */
  draw(lines: readonly string[]): void {
    if (!this.active) return;
    let frame = '';
    lines.forEach((line, i) => {
      frame += moveTo(i + 1, 1) + line + resetStyle;
    });
    this.output.write(frame);
  }

  /** Gives the terminal back as it was; synchronous, since a TTY write is. */
  restore(): void {
    if (!this.active) return;
    this.active = false;
    this.input.off('data', this.onData);
    this.output.off('resize', this.onResize);
    process.off('exit', this.onExit);
    try {
      if (this.input.isTTY) this.input.setRawMode(false);
    } catch {
      // The terminal is already gone (closed window); nothing to give back.
    }
    this.input.pause();
    this.output.write(resetStyle + showCursor + leaveAltScreen);
  }
}
