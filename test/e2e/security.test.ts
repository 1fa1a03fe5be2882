import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** Runs a connect attempt to the daemon's socket as the user `nobody`; prints `connected` or the error code. */
function connectAsNobody(socket: string): { ran: boolean; result: string } {
  const script = `require('net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  const run = spawnSync(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script],
    { encoding: 'utf8', timeout: 10_000 },
  );
  return { ran: run.status === 0, result: run.stdout.trim() || run.stderr.trim() };
}

describe('who can talk to the daemon', () => {
  it('the home is 0700, the socket and the files in it 0600', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    await tend.ok(['save']);
    await new Promise((r) => setTimeout(r, 100));
    expect(mode(tend.home).toString(8)).toBe('700');
    expect(mode(join(tend.home, 'logs')).toString(8)).toBe('700');
    for (const name of ['tend.sock', 'state.json', 'dump.json', 'daemon.pid', 'daemon.log']) {
      expect(mode(join(tend.home, name)).toString(8), name).toBe('600');
    }
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv'))(
    'another user cannot connect: EACCES, even when the home is opened to others',
    async () => {
      await tend.ok(['ping']);
      const socket = join(tend.home, 'tend.sock');
      const attempt = connectAsNobody(socket);
      expect(attempt).toEqual({ ran: true, result: 'EACCES' });
      // Even with the folder open, the socket's own 0600 refuses them.
      chmodSync(tend.home, 0o711);
      try {
        expect(connectAsNobody(socket)).toEqual({ ran: true, result: 'EACCES' });
      } finally {
        chmodSync(tend.home, 0o700);
      }
      // The daemon's owner still gets in.
      expect((await tend.run(['ping'])).code).toBe(0);
    },
  );
});

describe('nothing passes through a shell', () => {
  it('names, args, script paths and cwd with spaces, quotes, $() and ; reach the app verbatim and run nothing', async () => {
    const marker = `/tmp/pwned-${process.pid}-${Date.now()}`;
    const dir = join(tend.work, `dir with space 'q' "dq" $(id) ;x`);
    mkdirSync(dir, { recursive: true });
    const script = join(dir, `prints args $(id).js`);
    copyFileSync(fixture('prints-args.js'), script);
    const args = [
      `$(touch ${marker})`,
      `; rm -rf x`,
      `\`touch ${marker}\``,
      `a b`,
      `'single'`,
      `"double"`,
      `&& touch ${marker}`,
      `| tee ${marker}`,
      `$HOME`,
      `*`,
    ];
    // `tend start --name` cannot take a name with spaces yet (see the known gap below); the file can.
    const name = `odd'q'"dq"$(id);x`;
    const started = await tend.run(['start', script, '--name', name, '--cwd', dir, '--', ...args]);
    expect(started.code, started.stderr).toBe(0);

    const [view] = await tend.waitFor((l) => l.length === 1 && l[0]!.status === 'online', 10_000, 'the app to come up');
    expect(view!.name).toBe(name);
    const out = await waitForLine(view!.pm_out_log_path!);
    expect(JSON.parse(out)).toEqual(args);
    expect(existsSync(marker)).toBe(false);

    // The same through an ecosystem file, with spaces in the name too.
    const spaced = `odd name 'q' "dq" $(id) ;x`;
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: ${JSON.stringify(spaced)}\n    script: ${JSON.stringify(script)}\n    cwd: ${JSON.stringify(dir)}\n    args: ${JSON.stringify(args)}\n`,
    );
    await tend.ok(['apply', file]);
    const second = (await tend.list()).find((p) => p.name === spaced)!;
    expect(JSON.parse(await waitForLine(second.pm_out_log_path!))).toEqual(args);
    expect(existsSync(marker)).toBe(false);
    expect((await tend.run(['show', spaced])).code).toBe(0);
    expect((await tend.run(['restart', spaced])).code).toBe(0);

    // The odd name works as a target everywhere.
    expect((await tend.run(['show', name])).code).toBe(0);
    expect((await tend.run(['restart', name])).code).toBe(0);
    expect((await tend.run(['logs', name, '--nostream', '--lines', '1'])).stdout).toContain('$(touch');
    expect((await tend.run(['delete', name])).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  // Known gap in src/cli/commands/start.ts: the new app's name is passed on as an --only list, which
  // splits at spaces and commas. Flip to \`it\` once start passes the names as a list.
  it('tend start --name with a space in it starts the app', async () => {
    const result = await tend.run(['start', fixture('forever.js'), '--name', 'my api']);
    expect(result.stderr).toBe('');
    expect((await tend.list()).map((p) => p.name)).toEqual(['my api']);
  });

  it.each([
    ['../x', '"../x"'],
    ['a/b', '"a/b"'],
    ['NUL', '"a\\0b"'],
    ['/', '"/"'],
  ])('an app named %s is refused by apply with a clear error, and nothing starts', async (_what, yamlName) => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: ok\n    script: ${fixture('forever.js')}\n  - name: ${yamlName}\n    script: ${fixture('forever.js')}\n`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /eco\.yml:4:\d+ apps\[1\]\.name: expected a non-empty name without "\/", "\\", "\.\.", NUL/,
    );
    expect(await tend.list()).toEqual([]);
    expect(existsSync(join(tend.home, 'logs', 'x-out.log'))).toBe(false);
  });
});

describe('secrets', () => {
  it('secret-looking env values are masked in show (unless --show-secrets), plan and apply output, absent from ls --json and the daemon log', async () => {
    const secret = `hunter2-${process.pid}-${Date.now()}`;
    const eco = (version: string) =>
      `apps:\n  - name: api\n    script: ${fixture('forever.js')}\n    env:\n      DB_PASSWORD: "${secret}-${version}"\n      API_TOKEN: "${secret}-tok"\n      STRIPE_SECRET_KEY: "${secret}-key"\n      PLAIN: visible\n`;
    const file = tend.write('eco.yml', eco('1'));
    const outputs = [await tend.ok(['apply', file])];
    tend.write('eco.yml', eco('2'));
    outputs.push(
      await tend.ok(['plan', file]),
      await tend.ok(['apply', file]),
      await tend.ok(['apply', file, '--verbose']),
    );
    outputs.push(
      await tend.ok(['show', 'api']),
      await tend.ok(['show', 'api', '--json']),
      await tend.ok(['ls', '--json']),
      await tend.ok(['ls']),
    );
    // Asked for, by the home's owner: in clear.
    const revealed = JSON.parse((await tend.ok(['show', 'api', '--json', '--show-secrets'])).stdout)[0].env;
    expect(revealed.DB_PASSWORD.value).toBe(`${secret}-2`);
    expect((await tend.ok(['show', 'api', '--show-secrets'])).stdout).toContain(`${secret}-tok`);
    outputs.push(await tend.ok(['restart', 'api']), await tend.ok(['stop', 'api']), await tend.ok(['delete', 'api']));

    const shown = JSON.parse(outputs[5]!.stdout)[0].env;
    expect(shown.DB_PASSWORD.value).toBe('***');
    expect(shown.API_TOKEN.value).toBe('***');
    expect(shown.STRIPE_SECRET_KEY.value).toBe('***');
    expect(shown.PLAIN.value).toBe('visible');
    expect(outputs[1]!.stdout).toMatch(/DB_PASSWORD/);
    for (const { stdout, stderr } of outputs) expect(stdout + stderr).not.toContain(secret);
    expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).not.toContain(secret);
  });
});

async function waitForLine(file: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const line = text.split('\n').find((l) => l.startsWith('['));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no line in ${file}`);
}
