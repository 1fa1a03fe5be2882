// A plain HTTP app with no shutdown handling of its own, as most apps are: what a reload must not break.
const http = require('node:http');

const body = 'ok\n';
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
