// Smoke test of sample-site/static/chat.js together with ws.js, using a minimal fake DOM
// (just what chat.js touches) and a fake WebSocket driven as the server would.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.join(__dirname, '../../../..');
const WS_JS = fs.readFileSync(path.join(ROOT, 'client-js/src/main/resources/io/workjs/client/ws.js'), 'utf8');
const CHAT_JS = fs.readFileSync(path.join(ROOT, 'sample-site/static/chat.js'), 'utf8');

class Node {
  constructor(tag) {
    this.tagName = tag; this.children = []; this.parent = null; this.className = '';
    this.style = {}; this.hidden = false; this.value = ''; this._text = '';
    this.listeners = {}; this.scrollTop = 0; this.scrollHeight = 0; this.clientHeight = 0;
    const self = this;
    this.classList = {toggle(c, on) { self.className = (self.className.split(' ').filter(x => x && x !== c).concat(on ? [c] : [])).join(' '); }};
  }
  get textContent() { return this._text + this.children.map(c => c.textContent).join(''); }
  set textContent(v) { this._text = String(v); this.children = []; }
  get firstElementChild() { return this.children[0] || null; }
  appendChild(c) { c.parent = this; this.children.push(c); return c; }
  append(...cs) { cs.forEach(c => this.appendChild(c)); }
  replaceChildren(...cs) { this.children = []; this.append(...cs); }
  remove() { const p = this.parent; if (p) p.children.splice(p.children.indexOf(this), 1); }
  addEventListener(type, fn) { this.listeners[type] = fn; }
  focus() {}
  fire(type) { this.listeners[type]({preventDefault() {}}); }
}

function page({storedNick = '', pathname = '/chat/lobby'} = {}) {
  const ids = {};
  const document = {
    title: '',
    body: new Node('body'),
    createElement: tag => new Node(tag),
    getElementById: id => ids[id] || (ids[id] = new Node('div')),
  };
  const sockets = [];
  class FakeWebSocket {
    constructor(url) { this.url = url; this.readyState = 0; this.sent = []; sockets.push(this); }
    send(d) { this.sent.push(JSON.parse(d)); }
    close() { this.readyState = 2; }
    open() { this.readyState = 1; this.onopen({}); }
    receive(f) { this.onmessage({data: JSON.stringify(f)}); }
    drop(code = 1006) { this.readyState = 3; this.onclose({code}); }
  }
  const store = {'workjs-chat-nick': storedNick};
  const timers = [];
  const ctx = {
    document, WebSocket: FakeWebSocket, console,
    location: {protocol: 'http:', host: 'localhost:8080', pathname, search: ''},
    localStorage: {getItem: k => store[k] || null, setItem: (k, v) => { store[k] = v; }},
    setTimeout: fn => timers.push(fn), clearTimeout() {},
  };
  vm.createContext(ctx);
  vm.runInContext(WS_JS, ctx);
  vm.runInContext(CHAT_JS, ctx);
  return {$: document.getElementById, sockets, store, last: () => sockets[sockets.length - 1], tick: () => timers.pop()()};
}

test('asks for a nick first, then connects and says hello', () => {
  const p = page();
  assert.equal(p.$('nickdlg').hidden, false);
  assert.equal(p.sockets.length, 0);
  assert.equal(p.$('room').textContent, '#lobby');
  p.$('nick').value = '  ann  ';
  p.$('nickform').fire('submit');
  assert.equal(p.store['workjs-chat-nick'], 'ann');
  assert.equal(p.$('nickdlg').hidden, true);
  const s = p.last();
  assert.equal(s.url, 'ws://localhost:8080/chat/lobby');
  s.open();
  assert.deepEqual(s.sent, [['hello', {nick: 'ann'}, 1]]);
});

test('renders members, history, messages, joins and leaves as text', () => {
  const p = page({storedNick: 'ann'});
  const s = p.last();
  s.open();
  assert.equal(p.$('state').textContent, 'joining…');
  s.receive(['join', {id: '1', nick: 'ann', color: 'hsl(1, 60%, 40%)'}]);
  s.receive(['_rpc', {you: '1', members: [{id: '1', nick: 'ann', color: 'c1'}, {id: '0', nick: '<b>bob</b>', color: 'c2'}],
    history: [{id: '0', nick: '<b>bob</b>', color: 'c2', text: '<img src=x onerror=alert(1)>', time: 1700000000000}]}, 1]);
  assert.equal(p.$('state').textContent, 'online');
  assert.equal(p.$('count').textContent, '2');
  assert.match(p.$('members').textContent, /<b>bob<\/b>/);
  assert.match(p.$('members').textContent, /ann \(you\)/);
  const box = p.$('messages');
  assert.match(box.textContent, /ann joined/);
  assert.match(box.textContent, /<img src=x onerror=alert\(1\)>/);

  s.receive(['message', {id: '1', nick: 'ann', color: 'c1', text: 'hi', time: 1700000001000}]);
  assert.equal(box.children[box.children.length - 1].className, 'msg mine');
  s.receive(['leave', {id: '0', nick: '<b>bob</b>'}]);
  assert.match(box.textContent, /<b>bob<\/b> left/);
  assert.equal(p.$('count').textContent, '1');

  // reconnect: new hello with the new connection; history merged without duplicates
  const rows = box.children.length;
  s.drop();
  assert.equal(p.$('state').textContent, 'reconnecting…');
  p.tick();
  const s2 = p.last();
  assert.notEqual(s2, s);
  s2.open();
  assert.deepEqual(s2.sent, [['hello', {nick: 'ann'}, 2]]);
  s2.receive(['join', {id: '5', nick: 'ann', color: 'c1'}]); // same nick: no "joined" line
  s2.receive(['_rpc', {you: '5', members: [{id: '5', nick: 'ann', color: 'c1'}], history: [
    {id: '0', nick: '<b>bob</b>', color: 'c2', text: '<img src=x onerror=alert(1)>', time: 1700000000000},
    {id: '1', nick: 'ann', color: 'c1', text: 'hi', time: 1700000001000},
    {id: '9', nick: 'cy', color: 'c3', text: 'missed', time: 1700000002000}]}, 2]);
  assert.equal(box.children.length, rows + 1);
  assert.match(box.children[rows].textContent, /cymissed$/);
  assert.equal(p.$('state').textContent, 'online');
});

test('sending: queued while offline, restored on error', () => {
  const p = page({storedNick: 'ann'});
  const s = p.last();
  p.$('text').value = ' hello ';
  p.$('say').fire('submit');
  assert.equal(p.$('text').value, '');
  s.open();
  assert.deepEqual(s.sent.map(f => f[0]), ['hello', 'say']);
  assert.deepEqual(s.sent[1], ['say', {text: 'hello'}, 1]);
  s.receive(['_rpc', null, 1, {code: 'ERROR', message: 'too long'}]);
  assert.equal(p.$('text').value, 'hello');
  assert.match(p.$('messages').textContent, /Not sent: too long/);
});

test('denied room shows it', () => {
  const p = page({storedNick: 'ann', pathname: '/chat/BAD'});
  p.last().open();
  p.last().drop(1008);
  assert.equal(p.$('state').textContent, 'room not available');
});
