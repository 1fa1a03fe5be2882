// The floor for cluster throughput: Node's own cluster module running http.js with BENCH_WORKERS workers, nothing else.
const cluster = require('node:cluster');
const { join } = require('node:path');

cluster.setupPrimary({ exec: join(__dirname, 'http.js') });
for (let i = 0; i < Number(process.env.BENCH_WORKERS ?? 2); i++) cluster.fork();
// Stopping the primary stops its workers first, so the harness never finds one still running.
process.on('SIGTERM', () => {
  for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
  });
});
