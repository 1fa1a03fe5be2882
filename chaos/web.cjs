// A cluster HTTP app for the chaos run: answers its pid.
const http = require('node:http');

http.createServer((_req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');
