// Grows past BENCH_LIMIT_BYTES on its first run and writes when it crossed; the next run writes its boot time and stays small.
const { readFileSync } = require('node:fs');
const { mark, whenGo } = require('./marks.js');

mark('boot');
const boots = readFileSync(process.env.BENCH_MARKS, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('boot ')).length;
const limit = Number(process.env.BENCH_LIMIT_BYTES);
const held = [];
setInterval(() => {}, 1 << 30);

function grow() {
  // fill() touches every page, so the memory is resident, not just reserved.
  held.push(Buffer.alloc(8 * 1024 * 1024, 1));
  if (process.memoryUsage.rss() > limit) mark('crossed');
  else setTimeout(grow, 20);
}
if (boots === 1) whenGo(grow);
