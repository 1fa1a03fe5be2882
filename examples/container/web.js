// A tiny HTTP app: answers every request, and finishes its requests before it exits on SIGTERM.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const server = createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.end('hello from a container\n');
});
server.listen(port, () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => process.exit(0));
});
