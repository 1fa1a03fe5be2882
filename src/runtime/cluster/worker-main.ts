// Runs inside each cluster worker before the app: makes the app the main module and lets the primary drain it
// (stop taking connections, finish the requests it has, close keep-alive connections cleanly) before it is stopped.
import Module from 'node:module';
import { installDrain } from './drain.js';

const script = process.env.TEND_CLUSTER_SCRIPT;
const args = JSON.parse(process.env.TEND_CLUSTER_ARGS ?? '[]') as string[];
for (const key of ['TEND_CLUSTER_SCRIPT', 'TEND_CLUSTER_ARGS', 'TEND_PRIMARY_SOCKET', 'TEND_WORKER_ENTRY'])
  delete process.env[key];
if (!script) {
  console.error('tend cluster worker: no script given');
  process.exit(2);
}
process.argv = [process.argv[0]!, script, ...args];
installDrain();
// runMain loads argv[1] exactly as `node script` would: require.main === module for CommonJS, the ESM loader for ESM.
(Module as unknown as { runMain(): void }).runMain();
