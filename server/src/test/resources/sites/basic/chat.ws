// Seed style: top-level functions are the controller.
var calls = 0;

function init() {
  if (this.context.room === 'closed') return false;
  this.joinedAt = ++calls;
  return this.context.room || this.context._location || 'none';
}

function echo(p) { return p; }
function context() { return this.context; }
function whoami() { return { id: this.id, group: this.group_id, sess: this.sess }; }
function remember(p) { this.memo = p; }
function recall() { return this.memo === undefined ? null : this.memo; }
function members() {
  return Object.keys(this.group).sort().map((id) => ({ id, memo: this.group[id].memo === undefined ? null : this.group[id].memo }));
}
function say(p) { this.emit('said', { from: this.id, text: p }); return true; }
function later(p) { return new Promise((resolve) => setTimeout(() => resolve(p), 10)); }
function rejects(p) { return Promise.reject(new Error('rejected: ' + p)); }
function fails(p) { throw new Error('failed: ' + p); }
function failsWithCode() { const e = new Error('no room left'); e.code = 'ROOM_FULL'; throw e; }
function throwsString() { throw 'plain string'; }
function cyclic() { const a = {}; a.self = a; return a; }
function big() { return 10n; }
function nothing() { }
function me() { this.sendJSON({ only: 'you' }); return 'sent'; }
function ticks(n) {
  let count = 0;
  const id = setInterval(() => {
    count++;
    this.sendJSON(['tick', count]);
    if (count === n) { clearInterval(id); this.sendJSON(['done', count]); }
  }, 5);
  return id > 0;
}
function cancelled() {
  const id = setTimeout(() => this.sendJSON(['should-not-happen', 1]), 20);
  clearTimeout(id);
  setTimeout((a, b) => this.sendJSON(['timeout-args', a + b]), 30, 2, 3);
  return true;
}
function burstThenClose(n) {
  for (let i = 1; i <= n; i++) this.sendJSON(['burst', i]);
  this.ws.close(4000, 'after the burst');
  return this.ws.readyState;
}
function closeMe(p) { this.ws.close(4000, 'closed by controller'); return this.ws.readyState; }
function raw() { this.ws.send('["raw", 1]'); return this.ws.readyState; }
function log(p) { console.log('log from chat', p); return true; }
var notAFunction = 42;

function exit() {
  this.emit('left', { id: this.id });
}
