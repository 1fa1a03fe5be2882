// A background worker: one line every INTERVAL_MS; stops at once on SIGTERM.
const every = Number(process.env.INTERVAL_MS ?? 5000);
let n = 0;
setInterval(() => console.log(`tick ${++n}`), every);
process.on('SIGTERM', () => process.exit(0));
