// Timestamps the apps write themselves, so timings never depend on polling a CLI.
const { appendFileSync, existsSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

/** Epoch milliseconds with sub-millisecond precision, the same clock the harness reads. */
function now() {
  return performance.timeOrigin + performance.now();
}

/** Appends `<what> <time>` to the app's marks file (BENCH_MARKS). */
function mark(what, at = now()) {
  appendFileSync(process.env.BENCH_MARKS, `${what} ${at}\n`);
}

/** Waits until the harness says go (BENCH_GO exists), so the tool's own start-up is over before the measured part. */
function whenGo(fn) {
  const go = process.env.BENCH_GO;
  if (!go || existsSync(go)) return void fn();
  const timer = setInterval(() => {
    if (existsSync(go)) {
      clearInterval(timer);
      fn();
    }
  }, 5);
}

module.exports = { now, mark, whenGo };
