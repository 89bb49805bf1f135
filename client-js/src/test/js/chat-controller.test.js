// Tests of sample-site/chat.ws against a tiny fake of the server runtime: one shared
// vm context per controller (top-level state shared by connections), a `this` per
// connection with id/context/group/group_id/emit/sendJSON, exit() after leaving the group.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SRC = fs.readFileSync(path.join(__dirname, '../../../../sample-site/chat.ws'), 'utf8');

function runtime() {
  const ctx = vm.createContext({console: {log() {}}});
  vm.runInContext(SRC, ctx, {filename: 'chat.ws'});
  const groups = {};
  let nextId = 1;
  // value round trip through JSON, like the wire: also strips the vm realm
  const wire = v => JSON.parse(JSON.stringify(v));
  function connect(room) {
    const conn = {id: String(nextId++), context: {room}, sess: {data: {user_id: 0}}, inbox: []};
    conn.emit = (name, param) => {
      for (const m of Object.values(groups[conn.group_id] || {})) m.inbox.push([name, wire(param)]);
    };
    conn.sendJSON = v => conn.inbox.push(wire(v));
    const key = ctx.init.call(conn);
    if (!key) return null;
    conn.group_id = key;
    conn.group = groups[key] || (groups[key] = {});
    conn.group[conn.id] = conn;
    return conn;
  }
  function call(conn, name, param) {
    return wire(ctx[name].call(conn, param));
  }
  function disconnect(conn) {
    delete groups[conn.group_id][conn.id];
    if (ctx.exit) ctx.exit.call(conn);
  }
  return {connect, call, disconnect, ctx};
}

test('init accepts sane room names only', () => {
  const rt = runtime();
  assert.ok(rt.connect('lobby'));
  assert.ok(rt.connect('a-b-9'));
  assert.equal(rt.connect('Lobby'), null);
  assert.equal(rt.connect(''), null);
  assert.equal(rt.connect('x'.repeat(41)), null);
  assert.equal(rt.connect('../etc'), null);
  assert.equal(rt.connect(undefined), null);
});

test('hello validates the nick, announces the member and lists members and history', () => {
  const rt = runtime();
  const a = rt.connect('lobby');
  const b = rt.connect('lobby');
  const other = rt.connect('java');
  assert.throws(() => rt.call(a, 'hello', {nick: '   '}), /nickname/);
  assert.throws(() => rt.call(a, 'hello', {nick: 'x'.repeat(25)}), /nickname/);
  assert.throws(() => rt.call(a, 'hello', null), /nickname/);
  const ra = rt.call(a, 'hello', {nick: '  ann '});
  assert.equal(ra.you, a.id);
  assert.deepEqual(ra.members.map(m => m.nick), ['ann']);
  assert.deepEqual(ra.history, []);
  assert.match(ra.members[0].color, /^hsl\(\d+, 60%, 40%\)$/);
  assert.deepEqual(a.inbox, [['join', {id: a.id, nick: 'ann', color: ra.members[0].color}]]);
  assert.deepEqual(b.inbox.map(f => f[0]), ['join']);
  assert.deepEqual(other.inbox, []);

  const rb = rt.call(b, 'hello', {nick: 'bob'});
  assert.deepEqual(rb.members.map(m => m.nick).sort(), ['ann', 'bob']);
  // colour depends only on the nick
  const c = rt.connect('java');
  assert.equal(rt.call(c, 'hello', {nick: 'ann'}).members[0].color, ra.members[0].color);
});

test('say needs a nick, validates text, emits and keeps the last 50 per room', () => {
  const rt = runtime();
  const a = rt.connect('lobby');
  assert.throws(() => rt.call(a, 'say', {text: 'hi'}), /hello/);
  rt.call(a, 'hello', {nick: 'ann'});
  assert.throws(() => rt.call(a, 'say', {text: '  '}), /empty/);
  assert.throws(() => rt.call(a, 'say', {text: 'x'.repeat(501)}), /500/);
  assert.throws(() => rt.call(a, 'say', {text: 5}), /empty/);
  a.inbox.length = 0;
  assert.equal(rt.call(a, 'say', {text: 'hello'}), true);
  const [name, msg] = a.inbox[0];
  assert.equal(name, 'message');
  assert.equal(msg.text, 'hello');
  assert.equal(msg.nick, 'ann');
  assert.equal(msg.id, a.id);
  assert.equal(typeof msg.time, 'number');
  for (let i = 0; i < 60; i++) rt.call(a, 'say', {text: 'm' + i});

  const late = rt.connect('lobby');
  const h = rt.call(late, 'hello', {nick: 'late'}).history;
  assert.equal(h.length, 50);
  assert.equal(h[0].text, 'm10');
  assert.equal(h[49].text, 'm59');
  const elsewhere = rt.connect('java');
  assert.deepEqual(rt.call(elsewhere, 'hello', {nick: 'z'}).history, []);
});

test('exit tells the remaining members, and only if the member had a nick', () => {
  const rt = runtime();
  const a = rt.connect('lobby');
  const b = rt.connect('lobby');
  const silent = rt.connect('lobby');
  rt.call(a, 'hello', {nick: 'ann'});
  rt.call(b, 'hello', {nick: 'bob'});
  a.inbox.length = 0;
  b.inbox.length = 0;
  rt.disconnect(silent);
  assert.deepEqual(b.inbox, []);
  rt.disconnect(a);
  assert.deepEqual(b.inbox, [['leave', {id: a.id, nick: 'ann'}]]);
  assert.deepEqual(a.inbox, []);
  assert.deepEqual(rt.call(rt.connect('lobby'), 'hello', {nick: 'c'}).members.map(m => m.nick).sort(), ['bob', 'c']);
});

test('only init, exit and the rpc functions are exposed as top-level functions', () => {
  const rt = runtime();
  const fns = Object.keys(rt.ctx).filter(k => typeof rt.ctx[k] === 'function' && k !== 'console');
  assert.deepEqual(fns.sort(), ['exit', 'hello', 'init', 'say']);
});
