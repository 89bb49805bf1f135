// Reads count.ws's counter without opening count.ws.
const counter = require('./lib/counter.js');

function init() {
  return 'reader';
}

function inits() {
  return counter.inits;
}
