// Crashes BENCH_CRASHES times, writing the time just before each exit and the time its code runs again.
// BENCH_BOOT_ONLY: write the boot time and leave (the floor: a bare node boot).
const { readFileSync } = require('node:fs');
const { mark, now, whenGo } = require('./marks.js');

const boot = now();
mark('boot', boot);
if (process.env.BENCH_BOOT_ONLY) process.exit(0);

const boots = readFileSync(process.env.BENCH_MARKS, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('boot ')).length;
setInterval(() => {}, 1 << 30);
if (boots <= Number(process.env.BENCH_CRASHES ?? 0)) {
  whenGo(() =>
    setTimeout(() => {
      mark('exit');
      process.exit(1);
    }, 100),
  );
}
