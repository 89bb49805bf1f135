var counter = require('./lib/counter.js');

function init() {
  counter.attempt();
  return false;
}
