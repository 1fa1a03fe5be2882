import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardInfo } from '../../src/api/methods.js';
import { fixture, TendHarness } from './harness.js';
import { CHROMIUM, launchChromium } from './dashboard-browser.js';

let browser: Browser;
let tend: TendHarness;
let dash: DashboardInfo;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  tend = new TendHarness();
  const ticker = tend.write('ticker.cjs', "let n = 0; setInterval(() => console.log('tick ' + n++), 100);\n");
  const file = tend.write(
    'eco.yml',
    `apps:\n  - name: web\n    script: ${fixture('http-server.js')}\n  - name: ticker\n    script: ${ticker}\n`,
  );
  await tend.ok(['apply', file]);
  // Port 0: the daemon takes any free port and says which, so tests never collide.
  dash = JSON.parse((await tend.ok(['dashboard', '--port', '0', '--json'])).stdout) as DashboardInfo;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
afterEach(async () => {
  await page?.context().close();
  await tend.teardown();
});

const withToken = (): string => `${dash.url}?token=${dash.token}`;
const pidCell = (id: number) => page.locator(`#rows tr[data-id="${id}"] td.pid`);

describe(`web dashboard (${CHROMIUM})`, () => {
  it('prints its address and token, keeps serving on a second call, and stops on --stop', async () => {
    const again = await tend.ok(['dashboard', '--port', '0']);
    expect(again.stdout).toContain(`dashboard: ${dash.url}?token=${dash.token}  (already serving)`);
    expect(again.stdout).toContain(`token:     ${dash.token}  (stored in ${tend.home}/dashboard.token)`);
    expect(dash.host).toBe('127.0.0.1');
    expect((await fetch(dash.url)).status).toBe(200);
    await tend.ok(['dashboard', '--stop']);
    await expect(fetch(dash.url)).rejects.toThrow();
  });

  it('lists every app with its status and pid, and its charts grow every second', async () => {
    const list = await tend.list();
    await page.goto(withToken());
    await expect.poll(() => page.locator('#rows tr').count()).toBe(2);
    for (const p of list) {
      const row = page.locator(`#rows tr[data-id="${p.id}"]`);
      await expect.poll(() => row.locator('.name').textContent()).toBe(p.name);
      await expect.poll(() => row.locator('.status').textContent()).toBe('online');
      expect(await row.locator('td.pid').textContent()).toBe(String(p.pid));
    }
    // The token left the address bar once the page kept it.
    expect(page.url()).not.toContain('token=');
    const points = async (): Promise<number> => Number(await page.locator('#mem-chart').getAttribute('data-points'));
    await expect.poll(points, { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await points();
    await expect.poll(points, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
    expect(await page.locator('#mem-chart path.line').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
    expect(await page.locator('#mem-now').textContent()).toMatch(/MiB$/);
  });

  it('the restart button restarts the app and the page shows the new pid', async () => {
    const web = (await tend.list()).find((p) => p.name === 'web')!;
    await page.goto(withToken());
    await expect.poll(() => pidCell(web.id).textContent()).toBe(String(web.pid));
    await page.locator(`button[data-action="restart"][data-id="${web.id}"]`).click();
    const after = await tend.waitFor(
      (l) => l.some((p) => p.name === 'web' && p.restarts === 1 && p.status === 'online'),
      10_000,
      'the restart',
    );
    const newPid = after.find((p) => p.name === 'web')!.pid!;
    expect(newPid).not.toBe(web.pid);
    await expect.poll(() => pidCell(web.id).textContent(), { timeout: 5000 }).toBe(String(newPid));
    await expect.poll(() => page.locator(`#rows tr[data-id="${web.id}"] td`).nth(4).textContent()).toBe('1');
  });

  it('the scale buttons add and remove an instance of the app', async () => {
    await page.goto(withToken());
    await expect.poll(() => page.locator('#rows tr').count()).toBe(2);
    const ticker = (await tend.list()).find((p) => p.name === 'ticker')!;
    await page.locator(`button[data-action="scale-up"][data-id="${ticker.id}"]`).click();
    await tend.waitFor(
      (l) => l.filter((p) => p.name === 'ticker' && p.status === 'online').length === 2,
      10_000,
      'two tickers',
    );
    await expect.poll(() => page.locator('#rows tr').count(), { timeout: 5000 }).toBe(3);
    // As a user waits for the first button's answer before pressing the next.
    await expect.poll(() => page.locator('#toast').textContent(), { timeout: 10_000 }).toContain('scaled ticker +1');
    await page.locator(`button[data-action="scale-down"][data-id="${ticker.id}"]`).click();
    await tend.waitFor((l) => l.filter((p) => p.name === 'ticker').length === 1, 10_000, 'one ticker');
    await expect.poll(() => page.locator('#rows tr').count(), { timeout: 5000 }).toBe(2);
  });

  it('a request without the token is refused (401) and changes nothing', async () => {
    const web = (await tend.list()).find((p) => p.name === 'web')!;
    const bare = await fetch(`${dash.url}api/processes/${web.id}/restart`, { method: 'POST' });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${dash.url}api/processes/${web.id}/stop`, {
      method: 'POST',
      headers: { Authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
    // From the page itself, with no token kept: refused too.
    await page.goto(dash.url);
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/processes/${id}/stop`, { method: 'POST' })).status,
      web.id,
    );
    expect(status).toBe(401);
    const now = (await tend.list()).find((p) => p.name === 'web')!;
    expect(now).toMatchObject({ pid: web.pid, status: 'online', restarts: 0 });
  });

  it('streams new log lines live, and the search box filters them', async () => {
    await page.goto(withToken());
    const lines = page.locator('#loglines .ln');
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const first = await lines.count();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(first + 5);
    await page.locator('#log-search').fill('tick 1');
    const texts = await page.locator('#loglines .ln .tx').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).toContain('tick 1');
    expect(await page.locator('#loglines mark').first().textContent()).toBe('tick 1');
  });

  it('serves /metrics that a Prometheus parser reads, one sample per process, to the metrics token', async () => {
    const scrape = () => fetch(`${dash.url}metrics`, { headers: { Authorization: `Bearer ${dash.metricsToken}` } });
    const res = await scrape();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text());
    const up = families.find((f) => f.name === 'tend_process_up')!;
    expect(up.metrics.map((m) => [m.labels!.app, m.value]).sort()).toEqual([
      ['ticker', '1'],
      ['web', '1'],
    ]);
    await tend.waitFor((l) => l.every((p) => p.memory > 0), 5000, 'a memory sample');
    const memory = parsePrometheusTextFormat(await (await scrape()).text()).find(
      (f) => f.name === 'tend_process_memory_bytes',
    )!;
    for (const m of memory.metrics) expect(Number(m.value)).toBeGreaterThan(1_000_000);
  });
});
