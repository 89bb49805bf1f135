// Counts every lifecycle call, so that the tests can see what ran and how often. The tests ask
// through connections to the room "observer", which are not counted and say nothing.
var seen = { inits: 0, exits: 0, aways: 0, backs: 0 };
var counts = {};   // connection id -> its counter, as the server last set it

function observer(self) { return self.context.room === 'observer'; }
function init() { if (!observer(this)) seen.inits++; this.count = 0; return this.context.room || 'session'; }
function exit() { if (observer(this)) return; seen.exits++; this.emit('left', this.id); }
function away() { seen.aways++; }
function back() { seen.backs++; }

function remember(p) { this.memo = p; return true; }
function recall() { return { id: this.id, memo: this.memo }; }
function incr() { this.count++; counts[this.id] = this.count; return this.count; }
function count(id) { return counts[id] || 0; }
function say(p) { this.emit('said', p); }
function burst(n) { for (var i = 0; i < n; i++) this.emit('said', 'x'.repeat(1000) + i); return n; }
function lifecycle() { return seen; }
function context() { return this.context; }
