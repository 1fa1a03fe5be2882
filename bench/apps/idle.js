// Does nothing, like a worker waiting for jobs: what 100 "idle apps" are made of.
// CommonJS on purpose: the harness copies these apps to a temp folder outside the package, as a user's app would be.
setInterval(() => {}, 1 << 30);
