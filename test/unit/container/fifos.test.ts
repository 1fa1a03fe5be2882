// The FIFOs of a run, made for real (coreutils' mkfifo) in a folder of the test's own.
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeFifos } from '../../../src/container/fifos.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tend-fifos-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const isFifo = (file: string): boolean => lstatSync(file).isFIFO();

describe("the run's FIFOs, in one mkfifo", () => {
  test("the console's and the first apply's stdin FIFOs are made, with their folders", async () => {
    const consoleDir = join(home, 'console');
    const fifos = { console: [join(consoleDir, 'web-out.fifo')], stdin: [join(home, 'stdin', '0')] };
    await makeFifos(consoleDir, fifos);
    expect([...fifos.console, ...fifos.stdin].every(isFifo)).toBe(true);
  });

  test('a stdin FIFO that is there is kept (an app may hold it); a console path is made anew; anything else at a stdin path is replaced', async () => {
    const consoleDir = join(home, 'console');
    const stdin = [join(home, 'stdin', '0'), join(home, 'stdin', '1')];
    const stale = join(consoleDir, 'web-out.fifo');
    await makeFifos(consoleDir, { console: [], stdin: [stdin[0]!] });
    const kept = lstatSync(stdin[0]!).ino;
    // What a previous run left: not FIFOs (a FIFO there would be made anew all the same).
    writeFileSync(stale, 'left over');
    writeFileSync(stdin[1]!, 'not a fifo');
    await makeFifos(consoleDir, { console: [stale], stdin });
    expect(lstatSync(stdin[0]!).ino).toBe(kept);
    expect([stale, ...stdin].every(isFifo)).toBe(true);
    expect(readdirSync(consoleDir)).toEqual(['web-out.fifo']);
  });
});
