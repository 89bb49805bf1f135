// Answers for ClientApiBrowserIT.
var notes = [];

function init() {
  return 'client';
}
function add(p) { return p.a + p.b; }
function full() { var e = new Error('room is full'); e.code = 'ROOM_FULL'; throw e; }
function never() { return new Promise(function () {}); }
function note(p) { notes.push(p); return notes.length; }
function noted() { return notes; }
function shout(p) { this.emit('shout', p); return true; }
