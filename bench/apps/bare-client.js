// The floor of any Node.js CLI of a daemon: connect to tend's control socket, send one `list` request, print the
// reply, exit. No argument parsing, no rendering, no module but node:net.
const net = require('node:net');
const socket = net.connect(process.argv[2]);
let reply = '';
socket.on('connect', () => socket.write(`${JSON.stringify({ v: 1, id: 1, method: 'list' })}\n`));
socket.on('data', (chunk) => {
  reply += chunk;
  if (reply.includes('\n')) {
    process.stdout.write(reply);
    socket.end();
  }
});
