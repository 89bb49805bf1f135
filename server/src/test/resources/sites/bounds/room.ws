// Calls that test the server's bounds: a loop that never ends, a stream of events, exits counted.
var exits = {};   // group key -> how many exit() calls

function init() { return this.context.room; }
function echo(p) { return p; }
function spin() { while (true) { } }
async function spinAfterAwait(n) { await null; if (n > 0) while (true) { } return n; }
async function spinInHelper() { await Promise.resolve(); return helperThatSpins(); }
function helperThatSpins() { while (true) { } }
function spinInThen() {
  return Promise.resolve(1).then((n) => { while (true) { } });
}
function spinInTimerItAwaits() { return new Promise((resolve) => setTimeout(() => { while (true) { } }, 1)); }
function spinLater() { setTimeout(() => { while (true) { } }, 1); return true; }
function exitsIn(room) { return exits[room] || 0; }
function stream(p) {
  const pad = 'x'.repeat(p.size);
  for (let i = 0; i < p.n; i++) this.emit('n', { i: p.from + i, pad });
  return p.n;
}
function exit() { exits[this.group_id] = (exits[this.group_id] || 0) + 1; }
