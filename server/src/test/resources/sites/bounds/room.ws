// Calls that test the server's bounds: a loop that never ends, a stream of events, exits counted.
var exits = 0;

function init() { return this.context.room; }
function echo(p) { return p; }
function spin() { while (true) { } }
function spinLater() { setTimeout(() => { while (true) { } }, 1); return true; }
function exitsSoFar() { return exits; }
function stream(n) {
  for (let i = 0; i < n; i++) this.emit('n', { i, pad: 'x'.repeat(100) });
  return n;
}
function exit() { exits++; }
