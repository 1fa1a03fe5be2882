import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, sleep, TendHarness } from './harness.js';

// `tend serve` as a PM2 user runs it: a folder served by a managed app, with the headers a browser and a CDN rely on,
// and nothing outside the folder reachable however the path is written.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the path sent as written (no normalising of `..` or `%2e`). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function site(): string {
  const root = join(tend.work, 'site');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>\n');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")\n');
  writeFileSync(join(root, 'notes.txt'), 'hello world\n');
  writeFileSync(join(root, '.env'), 'SECRET=1\n');
  writeFileSync(join(tend.work, 'outside.txt'), 'outside the folder\n');
  symlinkSync(join(tend.work, 'outside.txt'), join(root, 'escape.txt'));
  return root;
}

async function serve(args: string[]): Promise<number> {
  const port = await freePort();
  await tend.ok(['serve', site(), String(port), '--host', '127.0.0.1', ...args]);
  // Up once it answers at all (401 with basic auth on).
  for (const deadline = Date.now() + 5000; !(await get(port, '/').catch(() => null)); ) {
    if (Date.now() > deadline) throw new Error('the server did not answer within 5 s');
    await sleep(50);
  }
  return port;
}

describe('tend serve', () => {
  it('serves the folder as the app static-page-server-PORT with types, validators and ranges', async () => {
    const port = await serve([]);
    const [app] = await tend.list();
    expect(app!.name).toBe(`static-page-server-${port}`);
    expect(app!.status).toBe('online');

    const home = await get(port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toBe('<h1>home</h1>\n');
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    const js = await get(port, '/assets/app.js');
    expect(js.headers['content-type']).toMatch(/javascript/);
    const notes = await get(port, '/notes.txt');
    expect(notes.headers['content-type']).toMatch(/^text\/plain/);
    expect(notes.headers['last-modified']).toBeTruthy();
    const etag = notes.headers.etag as string;
    expect((await get(port, '/notes.txt', { 'if-none-match': etag })).status).toBe(304);
    const part = await get(port, '/notes.txt', { range: 'bytes=0-4' });
    expect(part.status).toBe(206);
    expect(part.body).toBe('hello');
    expect((await get(port, '/missing.html')).status).toBe(404);
  }, 30_000);

  it('never serves outside its folder: .., encoded .., symlinks out, dotfiles', async () => {
    const port = await serve([]);
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/escape.txt',
      '/.env',
    ]) {
      const answer = await get(port, path);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toMatch(/outside the folder|SECRET/);
    }
  }, 30_000);

  it('--spa answers unknown paths with index.html; basic auth asks for the user and password', async () => {
    const port = await serve(['--spa', '--basic-auth-username', 'ann', '--basic-auth-password', 'pw-1']);
    const auth = { authorization: `Basic ${Buffer.from('ann:pw-1').toString('base64')}` };
    const refused = await get(port, '/notes.txt');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    const wrong = await get(port, '/notes.txt', {
      authorization: `Basic ${Buffer.from('ann:nope').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    expect((await get(port, '/notes.txt', auth)).body).toBe('hello world\n');
    const route = await get(port, '/users/42', { ...auth, accept: 'text/html' });
    expect(route.status).toBe(200);
    expect(route.body).toBe('<h1>home</h1>\n');
    // The password is in the app's environment, masked in `show`, and never in its arguments.
    const shown = await tend.ok(['show', `static-page-server-${port}`]);
    expect(shown.stdout).not.toContain('pw-1');
  }, 30_000);

  it('refuses a folder that is not there, and a port out of range, starting nothing', async () => {
    const missing = await tend.run(['serve', join(tend.work, 'nope'), '8080']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/tend serve needs a folder to serve; .*nope is not one/);
    const port = await tend.run(['serve', tend.work, '70000']);
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/the port must be a number from 1 to 65535, got `70000`/);
  });
});
