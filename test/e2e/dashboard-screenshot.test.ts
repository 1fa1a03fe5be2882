import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DashboardInfo } from '../../src/api/methods.js';
import { ROOT, sleep, TendHarness } from './harness.js';
import { launchChromium } from './dashboard-browser.js';

// TEND_SCREENSHOT=1 lets the demo run for a minute and writes docs/dashboard.png for the README; otherwise a short run into a temp file.
const forDocs = process.env.TEND_SCREENSHOT === '1';

let browser: Browser;
let tend: TendHarness;
beforeAll(async () => {
  browser = await launchChromium();
  tend = new TendHarness();
});
afterAll(async () => {
  await browser?.close();
  await tend?.teardown();
});

const API = `
const http = require('node:http');
const routes = ['/users', '/orders', '/health', '/search?q=lamp', '/users/42'];
let n = 0;
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log('api listening on 127.0.0.1:' + server.address().port));
// Bursts of work that rise and fall, so the CPU chart has a shape.
setInterval(() => {
  const busy = 40 + 35 * Math.sin(Date.now() / 9000);
  const end = Date.now() + busy;
  while (Date.now() < end) Math.sqrt(Math.random());
  const route = routes[n++ % routes.length];
  console.log('GET ' + route + ' 200 ' + Math.round(busy / 4) + 'ms');
  if (n % 23 === 0) console.error('slow query on ' + route + ': ' + Math.round(busy * 9) + 'ms');
}, 250);
`;
const WORKER = `
// Takes jobs, holds their buffers for a while, lets them go: memory climbs and falls.
const held = [];
let job = 1000;
setInterval(() => {
  held.push(Buffer.alloc(1024 * 1024, 1));
  if (held.length > 40) held.splice(0, 30);
  console.log('job ' + job++ + ' done (' + held.length + ' MB held)');
}, 400);
`;

it('renders the dashboard with a few apps running', async () => {
  const api = tend.write('api.cjs', API);
  const worker = tend.write('worker.cjs', WORKER);
  const forever = tend.write('mailer.cjs', "console.log('mailer ready'); setInterval(() => {}, 1 << 30);\n");
  const file = tend.write(
    'ecosystem.yml',
    `apps:\n  - name: api\n    script: ${api}\n    exec_mode: fork\n    instances: 2\n  - name: worker\n    script: ${worker}\n  - name: mailer\n    script: ${forever}\n`,
  );
  await tend.ok(['apply', file]);
  await tend.ok(['stop', 'mailer']);
  const dash = JSON.parse((await tend.ok(['dashboard', '--port', '0', '--json'])).stdout) as DashboardInfo;
  await sleep(forDocs ? 55_000 : 2500);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${dash.url}?token=${dash.token}`);
  await expect.poll(() => page.locator('#rows tr').count()).toBe(4);
  await page.locator('#rows tr').first().click();
  await sleep(1500);
  const out = forDocs
    ? join(ROOT, 'docs/dashboard.png')
    : join(mkdtempSync(join(tmpdir(), 'tend-shot-')), 'dashboard.png');
  await page.screenshot({ path: out });
  const png = readFileSync(out);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.length).toBeGreaterThan(20_000);
  await page.close();
  if (!forDocs) rmSync(dirname(out), { recursive: true, force: true });
}, 120_000);
