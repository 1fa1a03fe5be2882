// Writes the time its code starts running, then waits for jobs that never come: the ecosystem scenario's apps.
const { mark } = require('./marks.js');

mark('boot');
setInterval(() => {}, 1 << 30);
