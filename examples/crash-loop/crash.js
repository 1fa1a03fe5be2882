console.log('crasher: starting, will fail in 1 s');
setTimeout(() => {
  console.error('crasher: something went wrong');
  process.exit(1);
}, 1000);
