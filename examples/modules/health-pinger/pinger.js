// tend-health-pinger: a tend module. `tend install ./examples/modules/health-pinger`, then
//   tend set tend-health-pinger:urls http://127.0.0.1:3000/health,https://example.com
//   tend set tend-health-pinger:interval 30s
// Each setting reaches this app as TEND_CONFIG_<KEY> (and all of them as JSON in TEND_MODULE_CONFIG); a change
// restarts it. Every round it logs one line per URL: `ok 200 http://… 12ms` or `fail http://… (why)`.

const config = JSON.parse(process.env.TEND_MODULE_CONFIG || '{}');

/** `500ms`, `10s`, `2m` or a number of milliseconds. */
function duration(text, fallback) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text ?? '').trim());
  if (!match) return fallback;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 'ms'];
}

const urls = String(config.urls ?? '')
  .split(/[\s,]+/)
  .filter((url) => url !== '');
const intervalMs = duration(config.interval, 10_000);
const timeoutMs = duration(config.timeout, 5_000);

async function ping(url) {
  const started = Date.now();
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await answer.arrayBuffer();
    const word = answer.status < 400 ? 'ok' : 'fail';
    console.log(`${word} ${answer.status} ${url} ${Date.now() - started}ms`);
  } catch (error) {
    console.log(`fail ${url} (${error.cause?.code ?? error.name}: ${error.cause?.message ?? error.message})`);
  }
}

async function round() {
  await Promise.all(urls.map(ping));
}

if (urls.length === 0) {
  console.log('no URLs to ping: set some with `tend set tend-health-pinger:urls URL,URL`');
} else {
  console.log(`pinging ${urls.join(', ')} every ${intervalMs}ms`);
  void round();
}
// Kept alive either way, so the app stays online waiting for its settings.
setInterval(() => void round(), intervalMs);
