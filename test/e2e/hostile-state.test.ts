import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readState } from '../../src/daemon/state-store.js';
import { fixture, isAlive, sleep, TendHarness } from './harness.js';

let tend: TendHarness;
let stateFile: string;
beforeEach(() => {
  tend = new TendHarness();
  stateFile = join(tend.home, 'state.json');
});
afterEach(async () => {
  await tend.teardown();
});

const setAside = () => readdirSync(tend.home).filter((name) => name.startsWith('state.json.broken-'));

describe('the state file survives a daemon killed at any instant', () => {
  it('SIGKILL during a burst of state changes leaves the old or the new state, never a broken one', async () => {
    // A crash loop with no delay changes the state (and rewrites a ~200 KB state.json) every few milliseconds.
    const bigEnv = Array.from({ length: 400 }, (_, i) => `      VAR_${i}: "${'x'.repeat(500)}"`).join('\n');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: loop\n    script: ${fixture('crash-immediately.js')}\n    exec_mode: fork\n    instances: 3\n    max_restarts: 1000000\n    min_uptime: 0\n    env:\n${bigEnv}\n  - name: steady\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.run(['apply', file]);
    const steady = (await tend.list()).find((p) => p.name === 'steady')!;
    let hitMidWrite = 0;
    for (let round = 0; round < 15; round++) {
      const daemon = tend.daemonPid()!;
      await sleep(50 + Math.random() * 250);
      process.kill(daemon, 'SIGKILL');
      await sleep(50);
      if (readdirSync(tend.home).some((name) => name.endsWith('.tmp'))) hitMidWrite++;
      // Parses, and every app in it is whole: the strict reader throws on anything less.
      const state = readState(stateFile);
      expect(state.apps.map((a) => a.spec.name).sort()).toEqual(['loop', 'steady']);
      const pong = await tend.ok(['ping']);
      expect(pong.stderr).toBe('');
    }
    expect(setAside()).toEqual([]);
    expect(readdirSync(tend.home).filter((name) => name.endsWith('.tmp')).length).toBeLessThanOrEqual(1);
    // The steady app was adopted by every new daemon: same pid all along.
    const after = (await tend.list()).find((p) => p.name === 'steady')!;
    expect(after.pid).toBe(steady.pid);
    expect(isAlive(steady.pid!)).toBe(true);
    console.log(
      `state.json: 15 SIGKILLs, ${hitMidWrite} left a half-written temporary file; state.json parsed every time`,
    );
    // 15 daemon starts beside a crash loop: about 15 s on a quiet machine, twice that beside the other e2e files.
  }, 60_000);
});

describe('a broken or unreadable state file at start', () => {
  it('garbage in state.json is reported by the next command and daemon.log, and set aside untouched', async () => {
    mkdirSync(tend.home, { recursive: true, mode: 0o700 });
    const garbage = '{"version":1,"nextId":3,"apps":[{"spec": {"na';
    writeFileSync(stateFile, garbage);
    const ls = await tend.run(['ls']);
    expect(ls.code).toBe(0);
    expect(ls.stderr).toMatch(
      /tend: warning: .*state\.json is not valid JSON .*set aside as .*state\.json\.broken-\S+ and the daemon started with no apps/,
    );
    const [aside] = setAside();
    expect(readFileSync(join(tend.home, aside!), 'utf8')).toBe(garbage);
    expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).toMatch(/state\.json is not valid JSON/);
    // `tend ping` keeps saying so for this daemon's life.
    expect((await tend.ok(['ping'])).stderr).toMatch(/warning: .*set aside/);
    // New state goes to a new state.json; the broken one stays as it was.
    const eco = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', eco]);
    await sleep(100);
    expect(readState(stateFile).apps.map((a) => a.spec.name)).toEqual(['a']);
    expect(readFileSync(join(tend.home, aside!), 'utf8')).toBe(garbage);
  });

  it.each([
    ['empty', ''],
    ['not a state file', '{"hello": "world"}'],
    ['a list', '[]'],
  ])('a state.json that is %s is set aside with a clear message', async (_what, content) => {
    mkdirSync(tend.home, { recursive: true, mode: 0o700 });
    writeFileSync(stateFile, content);
    const ping = await tend.run(['ping']);
    expect(ping.code).toBe(0);
    expect(ping.stderr).toMatch(
      /state\.json (is not valid JSON \(it is empty\)|is not a tend state file \(version 1\): state(\.version)?: expected)/,
    );
    // Said once, by the ping that started the daemon.
    expect(ping.stderr.match(/tend: warning:/g)).toHaveLength(1);
    expect(setAside()).toHaveLength(1);
  });

  it('an unreadable state.json (a folder in its place) is reported and set aside', async () => {
    mkdirSync(stateFile, { recursive: true });
    const ping = await tend.run(['ping']);
    expect(ping.code).toBe(0);
    expect(ping.stderr).toMatch(/state\.json cannot be read \(EISDIR\).*set aside/);
    expect(setAside()).toHaveLength(1);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('one damaged app in state.json is taken back from the backup copy, with the same pid', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: good\n    script: ${fixture('forever.js')}\n  - name: bad\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['apply', file]);
    const before = await tend.list();
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await sleep(100);
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    state.apps[1].spec.run.args = 'not a list';
    writeFileSync(stateFile, JSON.stringify(state));

    const ls = await tend.run(['ls', '--json']);
    expect(ls.stderr).toMatch(
      /apps\[1\]\.spec\.run\.args: expected a list; got string "not a list"; bad taken back from the backup copy .*state\.json\.bak \(the file as it was is kept as .*state\.json\.broken-/,
    );
    const after = JSON.parse(ls.stdout) as Array<{ name: string; pid: number; status: string }>;
    expect(after.map((p) => [p.name, p.pid, p.status])).toEqual(before.map((p) => [p.name, p.pid, 'online']));
    expect(JSON.parse(readFileSync(join(tend.home, setAside()[0]!), 'utf8')).apps[1].spec.run.args).toBe('not a list');
    // Supervised again: its crash is seen and handled by the new daemon.
    const bad = before.find((p) => p.name === 'bad')!;
    process.kill(bad.pid!, 'SIGKILL');
    await tend.waitFor(
      (l) => l.some((p) => p.name === 'bad' && p.status === 'online' && p.pid !== bad.pid && p.restarts === 1),
      10_000,
      'bad restarted',
    );
  });

  it('a garbage state.json: every app is taken back from the backup copy', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n    exec_mode: fork\n    instances: 2\n`,
    );
    await tend.ok(['apply', file]);
    const before = await tend.list();
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await sleep(100);
    writeFileSync(stateFile, '{"version":1,"ne');
    const ls = await tend.run(['ls', '--json']);
    expect(ls.stderr).toMatch(
      /state\.json is not valid JSON .*set aside as .*state\.json\.broken-\S+ and the daemon took back a from the backup copy .*state\.json\.bak/,
    );
    expect((JSON.parse(ls.stdout) as Array<{ pid: number }>).map((p) => p.pid)).toEqual(before.map((p) => p.pid));
  });

  it('with no backup either, the processes nobody supervises any more are named by pid', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: good\n    script: ${fixture('forever.js')}\n  - name: bad\n    script: ${fixture('spawns-child.js')}\n`,
    );
    await tend.ok(['apply', file]);
    const bad = (await tend.list()).find((p) => p.name === 'bad')!;
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await sleep(100);
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    state.apps[1].processes = 'gone';
    writeFileSync(stateFile, JSON.stringify(state));
    rmSync(join(tend.home, 'state.json.bak'));

    const ping = await tend.run(['ping']);
    expect(ping.stderr).toMatch(/those apps were left out/);
    // Its own child carries the same environment, but only the app's process is named.
    expect(ping.stderr).toMatch(
      new RegExp(
        `warning: this process still runs but no state names it, so tend does not supervise it: pid ${bad.pid} \\(bad, id 1\\)`,
      ),
    );
  });
});
