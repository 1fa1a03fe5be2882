import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, TendHarness } from './harness.js';

let tend: TendHarness;
let socketPath: string;
beforeEach(async () => {
  tend = new TendHarness();
  socketPath = join(tend.home, 'tend.sock');
  await tend.ok(['ping']);
});
afterEach(async () => {
  await tend.teardown();
});

interface Exchange {
  lines: Array<Record<string, unknown>>;
  closed: boolean;
}

/**
 * Writes raw bytes and reads until `answers` final answers (lines with `ok`) came, the daemon closes,
 * or `quietMs` pass without a byte; parses what came back.
 */
function exchange(
  data: string | Buffer,
  options: { halfClose?: boolean; quietMs?: number; answers?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ lines, closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), options.quietMs ?? 1500);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if ((text.match(/"ok":/g) ?? []).length >= (options.answers ?? 1) && text.endsWith('\n')) done(false);
      else arm();
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? done(true) : reject(err),
    );
    socket.on('close', () => done(true));
    socket.on('connect', () => {
      socket.write(data);
      if (options.halfClose) socket.end();
      arm();
    });
  });
}

const request = (method: string, params?: unknown, id = 7) => `${JSON.stringify({ v: 1, id, method, params })}\n`;

async function expectDaemonAnswers(pid: number): Promise<void> {
  const { lines } = await exchange(request('ping', undefined, 99), { quietMs: 3000 });
  expect(lines.at(-1)).toMatchObject({ id: 99, ok: true, result: { pong: true, pid } });
}

function errorOf(answer: Exchange): { code: string; message: string } {
  const last = answer.lines.at(-1) as { ok?: boolean; error?: { code: string; message: string } } | undefined;
  expect(last?.ok, JSON.stringify(answer.lines)).toBe(false);
  return last!.error!;
}

describe('the control socket under malformed requests', () => {
  it('answers every malformed request with an error, and keeps serving', async () => {
    const pid = tend.daemonPid()!;
    const garbage: Array<[string, string | Buffer, RegExp]> = [
      ['binary junk', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a]), /one JSON object per line/],
      ['a JSON list', '[1,2,3]\n', /one JSON object per line/],
      ['null', 'null\n', /one JSON object per line/],
      [
        'an id that is not a number',
        `${JSON.stringify({ v: 1, id: 'x', method: 'ping' })}\n`,
        /one JSON object per line/,
      ],
      ['another protocol version', `${JSON.stringify({ v: 99, id: 1, method: 'ping' })}\n`, /protocol version 99/],
      ['an unknown method', request('rm -rf /'), /unknown method `rm -rf \/`/],
      ['a method inherited from Object', request('__proto__'), /unknown method `__proto__`/],
      ['another one', request('hasOwnProperty'), /unknown method/],
    ];
    for (const [what, data, message] of garbage) {
      const error = errorOf(await exchange(data));
      expect(error.code, what).toBe('PROTOCOL');
      expect(error.message, what).toMatch(message);
    }
    await expectDaemonAnswers(pid);
  });

  it('a request with params of the wrong shape gets a PROTOCOL error naming the field, for every method', async () => {
    const pid = tend.daemonPid()!;
    const cases: Array<[string, unknown, string]> = [
      ['apply', { desired: 42 }, 'params.desired: expected an object; got number 42'],
      ['apply', { desired: { file: null, apps: 'all' } }, 'params.desired.apps: expected a list'],
      [
        'apply',
        { desired: { file: null, apps: [{ name: 'a' }] } },
        'params.desired.apps[0].namespace: expected a string',
      ],
      ['apply', { desired: { file: null, apps: [] }, options: { only: 'a' } }, 'params.options.only: expected a list'],
      ['plan', 'everything', 'params: expected an object'],
      ['plan', { desired: { file: 3, apps: [] } }, 'params.desired.file: expected a string'],
      ['show', { target: 5 }, 'params.target: expected a string; got number 5'],
      ['show', {}, 'params.target: expected a string; got nothing'],
      ['start', { targets: 'all' }, 'params.targets: expected a list'],
      ['stop', { targets: [1, 2] }, 'params.targets[0]: expected a string; got number 1'],
      ['restart', { targets: null }, 'params.targets: expected a list; got null'],
      ['reload', { targets: [{}] }, 'params.targets[0]: expected a string; got an object'],
      ['delete', [], 'params: expected an object; got a list'],
      ['flush', { targets: 'x' }, 'params.targets: expected a list'],
      ['scale', { app: 'api', count: 3 }, 'params.count: expected a string; got number 3'],
      ['scale', { app: ['api'], count: '3' }, 'params.app: expected a string; got a list'],
      ['list', 'junk', 'params: expected an object; got string "junk"'],
      ['list', { table: 'yes' }, 'params.table: expected true or false; got string "yes"'],
    ];
    for (const [method, params, field] of cases) {
      const error = errorOf(await exchange(request(method, params)));
      expect(error.code, `${method} ${JSON.stringify(params)}`).toBe('PROTOCOL');
      expect(error.message).toContain(`bad \`${method}\` request: ${field}`);
    }
    // Methods that take no params ignore whatever comes.
    for (const method of ['ping', 'save']) {
      const { lines } = await exchange(request(method, 'junk'));
      expect(lines.at(-1), method).toMatchObject({ ok: true });
    }
    await expectDaemonAnswers(pid);
    expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).not.toMatch(/TypeError|failed on/);
    expect(await tend.list()).toEqual([]);
  });

  it('an apply naming an app that would escape the log folder is refused before anything starts', async () => {
    const { desired } = await validDesired('ok-name');
    for (const name of ['../x', 'a/b', 'nul\0byte', '.hidden']) {
      const error = errorOf(
        await exchange(
          request('apply', { desired: { ...desired, apps: [{ ...desired.apps[0], name }] }, options: {} }),
        ),
      );
      expect(error.code).toBe('PROTOCOL');
      expect(error.message).toContain('params.desired.apps[0].name: app name');
    }
    const twice = errorOf(
      await exchange(
        request('apply', { desired: { ...desired, apps: [desired.apps[0], desired.apps[0]] }, options: {} }),
      ),
    );
    expect(twice.message).toContain('names two apps');
    expect(await tend.list()).toEqual([]);
  });

  it('a line over the limit is answered with an error and the connection closed, quickly', async () => {
    const pid = tend.daemonPid()!;
    const started = Date.now();
    const answer = await exchange(`{"v":1,"id":1,"method":"ping","params":"${'x'.repeat(17 * 1024 * 1024)}`, {
      quietMs: 5000,
      answers: 2,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.closed).toBe(true);
    expect(errorOf(answer).message).toMatch(/longer than 16777216 bytes/);
    await expectDaemonAnswers(pid);
  });

  it('a half-closed connection still gets its answers, even for a request without its newline', async () => {
    const answer = await exchange(`${request('list', undefined, 1)}${request('ping', undefined, 2).trimEnd()}`, {
      halfClose: true,
      answers: 3,
    });
    expect(answer.closed).toBe(true);
    expect(answer.lines.map((l) => [l.id, l.ok])).toEqual([
      [1, true],
      [2, true],
    ]);
  });

  it('a client that floods requests and never reads costs bounded memory; others are still served', async () => {
    const pid = tend.daemonPid()!;
    const rssBefore = rssKb(pid);
    const flood = connect(socketPath);
    flood.on('error', () => undefined);
    await new Promise((r) => flood.once('connect', r));
    // 200,000 `list` requests (about 9 MB) pipelined; this client never reads a byte.
    const batch = request('list', undefined, 1).repeat(1000);
    let written = 0;
    const writeMore = () => {
      while (written < 200 && flood.write(batch)) written++;
    };
    flood.on('drain', writeMore);
    writeMore();
    await new Promise((r) => setTimeout(r, 1500));
    const started = Date.now();
    await expectDaemonAnswers(pid);
    const pingMs = Date.now() - started;
    const rssGrowthMb = (rssKb(pid) - rssBefore) / 1024;
    flood.destroy();
    expect(pingMs).toBeLessThan(1000);
    // The daemon stopped reading the flood once ~1 MB of answers waited: far less than 200,000 answers.
    expect(written).toBeLessThan(200);
    expect(rssGrowthMb).toBeLessThan(100);
    await expectDaemonAnswers(pid);
  });

  it('a client that never reads while an apply streams events does not stall the daemon', async () => {
    const pid = tend.daemonPid()!;
    const { desired } = await validDesired('streamed', 4);
    const silent = connect(socketPath);
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    silent.write(request('apply', { desired, options: {} }));
    silent.pause();
    const list = await tend.waitFor(
      (l) => l.length === 4 && l.every((p) => p.status === 'online'),
      15_000,
      'the apply to finish',
    );
    silent.destroy();
    await expectDaemonAnswers(pid);
    for (const p of list) expect(isAlive(p.pid!)).toBe(true);
  });

  it('hundreds of idle connections do not keep others out', async () => {
    const pid = tend.daemonPid()!;
    const idle: Socket[] = [];
    for (let i = 0; i < 300; i++) {
      const s = connect(socketPath);
      s.on('error', () => undefined);
      idle.push(s);
    }
    await Promise.all(idle.map((s) => new Promise((r) => (s.connecting ? s.once('connect', r) : r(undefined)))));
    await expectDaemonAnswers(pid);
    expect((await tend.run(['ls'])).code).toBe(0);
    for (const s of idle) s.destroy();
  });
});

/** A real desired state for one app running forever.js, as the CLI would send it. */
async function validDesired(name: string, instances = 1) {
  const { desiredFromApps } = await import('../../src/config/index.js');
  return {
    desired: await desiredFromApps([{ name, script: fixture('forever.js'), instances, exec_mode: 'fork' }], {
      origin: 'test',
      home: tend.home,
      baseEnv: { kind: 'clean' },
      cwd: tend.work,
    }),
  };
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}
