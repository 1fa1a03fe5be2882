// Holds on to 8 MB more every second.
const hoard = [];
setInterval(() => {
  hoard.push(Buffer.alloc(8 * 1024 * 1024, 1));
  console.log(`leaky: holding ${hoard.length * 8} MB`);
}, 1000);
