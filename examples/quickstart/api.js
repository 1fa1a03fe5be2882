// A tiny HTTP API: each instance listens on its own PORT (increment_var gives 3100, 3101, ...).
const http = require('node:http');

const port = Number(process.env.PORT ?? 3100);
const server = http.createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({ greeting: process.env.GREETING, instance: process.env.NODE_APP_INSTANCE, pid: process.pid }),
  );
});
server.listen(port, '127.0.0.1', () =>
  console.log(`api instance ${process.env.NODE_APP_INSTANCE} listening on 127.0.0.1:${port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
