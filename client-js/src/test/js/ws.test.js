// Tests of the browser client's logic: ws.js runs in a vm context with a fake WebSocket,
// fake timers and a fake location. Run with: node --test client-js/src/test/js/
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SRC = fs.readFileSync(
  path.join(__dirname, '../../main/resources/io/workjs/client/ws.js'), 'utf8');

function setup(locationOverride) {
  const sockets = [];
  const timers = [];
  const logs = {warn: [], error: []};
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error('send while not open');
      this.sent.push(JSON.parse(data));
    }
    close(code) {
      this.closeCalledWith = code;
      this.readyState = 2;
    }
    // test helpers, driving the socket from the "server" side
    open() { this.readyState = 1; this.onopen({}); }
    receive(frame) { this.onmessage({data: typeof frame === 'string' ? frame : JSON.stringify(frame)}); }
    drop(code = 1006) { this.readyState = 3; this.onclose({code}); }
  }
  const ctx = {
    WebSocket: FakeWebSocket,
    location: locationOverride || {protocol: 'https:', host: 'example.org:8443', pathname: '/chat/lobby', search: '?x=1'},
    console: {warn: (...a) => logs.warn.push(a), error: (...a) => logs.error.push(a), log() {}},
    setTimeout(fn, ms) { timers.push({fn, ms}); return timers.length; },
    clearTimeout(id) { if (id && timers[id - 1]) timers[id - 1].cleared = true; },
  };
  vm.createContext(ctx);
  vm.runInContext(SRC, ctx, {filename: 'ws.js'});
  // fire the newest pending timer, return its delay
  function tick() {
    const t = timers.filter(t => !t.fired && !t.cleared).pop();
    assert.ok(t, 'a reconnect timer is pending');
    t.fired = true;
    t.fn();
    return t.ms;
  }
  const live = () => timers.filter(t => !t.fired && !t.cleared);
  return {ctx, sockets, timers, live, tick, logs, last: () => sockets[sockets.length - 1]};
}

test('connects to the page URL with the matching scheme', () => {
  const env = setup();
  new env.ctx.worksocket({});
  assert.equal(env.last().url, 'wss://example.org:8443/chat/lobby?x=1');
  const env2 = setup({protocol: 'http:', host: 'h', pathname: '/p', search: ''});
  new env2.ctx.worksocket();
  assert.equal(env2.last().url, 'ws://h/p');
  const env3 = setup();
  new env3.ctx.worksocket({url: 'ws://other/x'});
  assert.equal(env3.last().url, 'ws://other/x');
});

test('rpc with and without callback, sendJSON, result and error replies', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({});
  env.last().open();
  const got = [];
  ws.rpc('a', {x: 1}, (r, err) => got.push(['a', r, err]));
  ws.rpc('b', 2);
  ws.rpc('c', null, (r, err) => got.push(['c', r, err]));
  ws.sendJSON({raw: true});
  const s = env.last();
  assert.deepEqual(s.sent, [['a', {x: 1}, 1], ['b', 2], ['c', null, 2], {raw: true}]);
  s.receive(['_rpc', null, 2, {code: 'BAD', message: 'nope'}]);
  s.receive(['_rpc', {ok: 1}, 1]);
  s.receive(['_rpc', 'dup', 1]); // already answered: ignored
  assert.equal(got.length, 2);
  assert.equal(got[0][0], 'c');
  assert.equal(got[0][1], null);
  assert.equal(got[0][2].code, 'BAD');
  assert.equal(got[0][2].message, 'nope');
  // the result was parsed in the vm's realm: compare by value
  assert.equal(JSON.stringify(got[1].slice(0, 2)), JSON.stringify(['a', {ok: 1}]));
  assert.equal(got[1][2], undefined);
});

test('events dispatch to handlers; throwing handlers never break the connection', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({});
  env.last().open();
  const seen = [];
  ws.on('boom', () => { throw new Error('x'); });
  ws.on('msg', p => seen.push(p));
  ws.on('_error', p => seen.push(['err', p.code]));
  const s = env.last();
  s.receive(['boom', 1]);
  s.receive('not json');
  s.receive({not: 'an array'});
  s.receive(['unknown', 1]);
  s.receive(['msg', 'hi']);
  s.receive(['_error', {code: 'NO_SUCH_FUNCTION', message: 'm'}]);
  assert.deepEqual(seen, ['hi', ['err', 'NO_SUCH_FUNCTION']]);
  assert.equal(env.logs.error.length, 0, 'quiet without debug');
  assert.equal(env.logs.warn.length, 0, 'quiet without debug');
  assert.equal(ws.readyState, 1);
});

test('debug mode reports swallowed errors and oddities', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({debug: true});
  env.last().open();
  ws.on('boom', () => { throw new Error('x'); });
  env.last().receive(['boom', 1]);
  env.last().receive(['_error', {code: 'BAD_FRAME', message: 'm'}]);
  assert.equal(env.logs.error.length, 1);
  assert.equal(env.logs.warn.length, 1);
});

test('offline calls are queued and flushed after onopen, in order', () => {
  const env = setup();
  let ws;
  const opens = [];
  ws = new env.ctx.worksocket({onopen() { opens.push(1); ws.rpc('hello', {}, () => {}); }});
  ws.rpc('say', 'one', () => {});
  ws.sendJSON(['x', 2]);
  env.last().open();
  assert.deepEqual(env.last().sent, [['hello', {}, 2], ['say', 'one', 1], ['x', 2]]);
  // a reconnect runs onopen again
  env.last().drop();
  env.tick();
  env.last().open();
  assert.equal(opens.length, 2);
  assert.equal(env.sockets.length, 2);
  assert.deepEqual(env.last().sent, [['hello', {}, 3]]);
});

test('calls on the wire fail with DISCONNECTED when the connection drops', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({});
  env.last().open();
  const got = [];
  ws.rpc('a', 1, (r, err) => got.push(err && err.code));
  env.last().drop();
  ws.rpc('b', 1, (r, err) => got.push(r || err.code)); // queued, not failed
  assert.deepEqual(got, ['DISCONNECTED']);
  env.tick();
  env.last().open();
  env.last().receive(['_rpc', 'ok', 2]);
  assert.deepEqual(got, ['DISCONNECTED', 'ok']);
});

test('backoff doubles from 500 ms to 10 s and resets after an open', () => {
  const env = setup();
  new env.ctx.worksocket({});
  const delays = [];
  for (let i = 0; i < 7; i++) {
    env.last().drop();
    delays.push(env.tick());
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000]);
  env.last().open();
  env.last().drop();
  assert.equal(env.tick(), 500);
});

test('a denied connection (1008) waits the maximum delay', () => {
  const env = setup();
  new env.ctx.worksocket({});
  env.last().open();
  env.last().drop(1008);
  assert.equal(env.tick(), 10000);
});

test('close() stops reconnecting and fails queued and in-flight calls', () => {
  const env = setup();
  const closes = [];
  const ws = new env.ctx.worksocket({onclose: ev => closes.push(ev.code)});
  env.last().open();
  const got = [];
  ws.rpc('a', 1, (r, err) => got.push(err.code));
  ws.close();
  assert.equal(env.last().closeCalledWith, 1000);
  env.last().drop(1000);
  assert.deepEqual(got, ['DISCONNECTED']);
  assert.deepEqual(closes, [1000]);
  assert.equal(env.live().length, 0, 'no reconnect scheduled');
  assert.equal(ws.readyState, 3);
  ws.rpc('b', 1, (r, err) => got.push(err.code));
  assert.deepEqual(got, ['DISCONNECTED', 'CLOSED']);

  // close() while waiting to reconnect cancels the timer and fails the queue
  const env2 = setup();
  const ws2 = new env2.ctx.worksocket({});
  env2.last().drop();
  assert.equal(ws2.readyState, 0);
  const got2 = [];
  ws2.rpc('q', 1, (r, err) => got2.push(err.code));
  ws2.close();
  assert.deepEqual(got2, ['CLOSED']);
  assert.equal(env2.live().length, 0);
  assert.equal(ws2.readyState, 3);
});

test('onclose may call close() to stop reconnecting', () => {
  const env = setup();
  let ws;
  ws = new env.ctx.worksocket({onclose(ev) { if (ev.code === 1008) ws.close(); }});
  env.last().open();
  env.last().drop(1008);
  assert.equal(env.live().length, 0);
});

test('the offline queue keeps at most 1000 frames, dropping the oldest', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({});
  const dropped = [];
  ws.rpc('first', 0, (r, err) => dropped.push(err.code));
  for (let i = 1; i <= 1000; i++) ws.sendJSON(i);
  assert.deepEqual(dropped, ['DROPPED']);
  env.last().open();
  const sent = env.last().sent;
  assert.equal(sent.length, 1000);
  assert.equal(sent[0], 1);
  assert.equal(sent[999], 1000);
});

test('events from a stale socket are ignored', () => {
  const env = setup();
  const ws = new env.ctx.worksocket({});
  const seen = [];
  ws.on('e', p => seen.push(p));
  const old = env.last();
  old.open();
  old.drop();
  env.tick();
  old.onmessage({data: JSON.stringify(['e', 'stale'])});
  old.onclose({code: 1006});
  assert.deepEqual(seen, []);
  assert.equal(env.live().length, 0, 'stale close schedules nothing');
});
