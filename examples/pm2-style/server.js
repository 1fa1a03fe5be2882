const http = require('node:http');

const port = Number(process.env.PORT ?? 3200);
http
  .createServer((_req, res) => res.end(`web (${process.env.NODE_ENV}) pid ${process.pid}\n`))
  .listen(port, '127.0.0.1', () => console.log(`web listening on 127.0.0.1:${port} (${process.env.NODE_ENV})`));
