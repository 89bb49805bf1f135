function init() { return 'wire'; }
function add(p) { return p.a + p.b; }
function shout(p) { this.emit('shout', p); }
function fail() { throw new Error('nope'); }
