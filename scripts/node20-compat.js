// Preloaded (node --require) when the cdktn CLI runs on Node 20: it calls
// worker_threads.markAsUncloneable (Node 22.10 and later) on objects it never sends to a
// worker, so a no-op is equivalent here.
'use strict';
const workerThreads = require('node:worker_threads');
if (typeof workerThreads.markAsUncloneable !== 'function') {
  workerThreads.markAsUncloneable = () => {};
}
