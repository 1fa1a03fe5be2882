// Writes BENCH_LINES numbered lines to stdout as fast as it can, like a chatty app; each line says its own index
// so lost or doubled lines can be counted in the log file.
const { mark, whenGo } = require('./marks.js');

const count = Number(process.env.BENCH_LINES);
const pad = 'x'.repeat(52);
mark('boot');
setInterval(() => {}, 1 << 30);
whenGo(() => {
  mark('start');
  for (let i = 0; i < count; i++) process.stdout.write(`${String(i).padStart(7, '0')} ${pad}\n`);
  mark('written');
});
