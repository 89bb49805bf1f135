// Counts every init(): an upgrade refused before controller code runs must not count.
const counter = require('./lib/counter.js');

function init() {
  counter.inits++;
  return 'all';
}

function ping() {
  return 'pong';
}
