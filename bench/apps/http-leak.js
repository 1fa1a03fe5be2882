// http.js that also grows past BENCH_LIMIT_BYTES once the harness says go, in the first instance to boot only (leak.js):
// an app crossing max_memory_restart while it serves requests.
require('./http.js');
require('./leak.js');
