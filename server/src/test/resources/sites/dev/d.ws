// Development mode's test controller: the tests rewrite it while the server runs.
globalThis.loadsOfD = (globalThis.loadsOfD || 0) + 1;
const greet = require('./lib/greet.js');

function init() { return this.context.room; }
function version() { return 1; }
function remember(v) { this.kept = v; return true; }
function recall() { return this.kept; }
function loads() { return globalThis.loadsOfD; }
function hello(name) { return greet(name); }
function shout(t) { this.emit('shout', t); }
function ticks() { return globalThis.ticks || 0; }
