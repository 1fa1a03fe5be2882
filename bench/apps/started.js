// Marks when its code starts running, then exits 0: the container-start scenario's one app.
require('./marks.js').mark('started');
