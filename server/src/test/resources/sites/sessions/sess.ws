// One scenario: this.sess as a controller sees it.
function init() { return 'all'; }
function show() { return this.sess; }
function put(p) { this.sess.set(p.key, p.value); return this.sess.data; }
function read(key) { const v = this.sess.get(key); return v === undefined ? 'absent' : v; }
function wipe() { this.sess.clear(); return this.sess; }
function putFunction() { this.sess.set('f', function () {}); }
function putCycle() { const a = {}; a.a = a; this.sess.set('a', a); }
function changeCopy(key) { const v = this.sess.get(key); v.changed = true; return this.sess.get(key); }
function userId() { return this.sess.data.user_id; }
function login(p) { this.sess.set('user_id', p); this.sess.regenerate(); return this.sess.data; }
