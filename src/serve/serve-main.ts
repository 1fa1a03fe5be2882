// The static file server `tend serve` starts as a managed app (bundled as dist/serve.cjs): argv is the folder, the port
// and the host; basic auth comes in the environment, so it never shows in `ps`.
import { createServer } from 'node:http';
import { staticHandler } from './static-handler.js';

const [root = '.', port = '8080', host = '0.0.0.0'] = process.argv.slice(2);
const username = process.env.TEND_SERVE_USERNAME;
const password = process.env.TEND_SERVE_PASSWORD;
const server = createServer(
  staticHandler({
    root,
    spa: process.env.TEND_SERVE_SPA === 'true',
    auth: username && password ? { username, password } : null,
  }),
);
server.listen(Number(port), host, () => {
  console.log(`serving ${root} on http://${host}:${port}`);
});
// Graceful stop: finish what is being sent, then exit.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
