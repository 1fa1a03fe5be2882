// Writes "<pid> <seq>" lines, one every few ms, each with a single write(2) so a line is never torn.
// The chaos run checks that, per pid, the numbers in the log run 1..n with no gap and no repeat.
const { writeSync } = require('node:fs');

let seq = 0;
setInterval(() => {
  seq += 1;
  writeSync(1, `${process.pid} ${seq}\n`);
}, 5);
