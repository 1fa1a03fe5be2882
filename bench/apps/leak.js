// Grows past BENCH_LIMIT_BYTES in the first instance to boot and writes when it crossed; the instances after it (the one
// that replaces it, the other instances of a cluster) write their boot time and stay small.
const { writeFileSync } = require('node:fs');
const { mark, whenGo } = require('./marks.js');

mark('boot');
const limit = Number(process.env.BENCH_LIMIT_BYTES);
const held = [];
setInterval(() => {}, 1 << 30);

function grow() {
  // fill() touches every page, so the memory is resident, not just reserved.
  held.push(Buffer.alloc(8 * 1024 * 1024, 1));
  if (process.memoryUsage.rss() > limit) mark('crossed');
  else setTimeout(grow, 20);
}
/** True in one process only: the first to create `<marks>.grower`, which then holds its pid for the harness. */
function firstToBoot() {
  try {
    writeFileSync(`${process.env.BENCH_MARKS}.grower`, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}
if (firstToBoot()) whenGo(grow);
