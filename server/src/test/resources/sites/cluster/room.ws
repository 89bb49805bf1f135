// One scenario: a room whose members are spread over the nodes of a cluster.
function init() { this.joined = Date.now() > 0; return this.context.room; }
function say(p) { this.emit('said', p); return true; }
function nick(n) { this.nick = n; return true; }
function trap() { Object.defineProperty(this, 'trap', { enumerable: true, get() { throw new Error('no state for you'); } }); return true; }
function members() {
  const g = this.group;
  return Object.keys(g).sort().map(function (id) { return { id: id, nick: g[id].nick === undefined ? null : g[id].nick }; });
}
function put(p) { this.sess.set(p.key, p.value); return true; }
function renew() { this.sess.regenerate(); return true; }
function read(key) { const v = this.sess.get(key); return v === undefined ? null : v; }
function whoami() { return { id: this.id, nick: this.nick === undefined ? null : this.nick, room: this.group_id }; }
function back() { this.backs = (this.backs || 0) + 1; }
function rooms() { return require('workjs').groups.sizes('room.ws'); }
function exit() { this.emit('left', this.id); }
