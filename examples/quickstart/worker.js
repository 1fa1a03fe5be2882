// A background worker: does a unit of work every INTERVAL_MS and logs it.
const interval = Number(process.env.INTERVAL_MS ?? 2000);
let done = 0;
setInterval(() => {
  done += 1;
  console.log(`worker: finished job ${done}`);
}, interval);
