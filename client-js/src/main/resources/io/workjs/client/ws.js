/*
 * worksocket: the WorkJS browser client, served at /_workjs/ws.js and injected into pages
 * whose route has the {"ws": "t"} flag.
 *
 *   var ws = new worksocket({onopen: function () { ws.rpc('hello', {nick: 'ann'}, cb); }});
 *   ws.on('message', function (param) { ... });   // one handler per event name
 *   ws.sendJSON(value);                           // raw frame, JSON.stringify(value)
 *   ws.rpc(name, param, function (result, err) {});
 *   ws.close();  ws.readyState;
 *
 * Options: onopen() runs on EVERY (re)connect, so put "join"-style calls there;
 * onclose(closeEvent), onerror(event); debug: log swallowed errors and protocol oddities;
 * url: overrides the page's own URL (tests).
 *
 * Wire protocol (JSON text frames). Client -> server: [name, param] or [name, param, seq].
 * Server -> client: [event, param], ["_rpc", result, seq], ["_rpc", null, seq, {code, message}],
 * ["_error", {code, message}].
 */
(function (global) {
  'use strict';

  var MIN_DELAY = 500;    // first reconnect attempt after a drop
  var MAX_DELAY = 10000;  // backoff ceiling; also the wait after the server denied us
  var MAX_QUEUE = 1000;   // frames kept while offline, so a long outage can't eat memory
  var CONNECTING = 0, OPEN = 1, CLOSED = 3;
  var CLOSE_DENIED = 1008;

  function wsError(code, message) {
    var err = new Error(message);
    err.code = code;
    return err;
  }

  // The controller lives at the page's own URL: same path and query string, ws(s) scheme.
  function pageUrl() {
    var loc = global.location;
    return (loc.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + loc.host + loc.pathname + loc.search;
  }

  function worksocket(options) {
    if (!(this instanceof worksocket)) return new worksocket(options);
    var self = this;
    var opts = options || {};
    var url = opts.url || pageUrl();
    var debug = !!opts.debug;
    var handlers = Object.create(null);
    var pending = new Map(); // seq -> callback, only for calls that are on the wire
    var queue = [];          // {data, seq, cb} waiting for the next open
    var lastSeq = 0;
    var sock = null;
    var timer = null;
    var delay = MIN_DELAY;
    var closed = false;      // set by close(): the app wants no more reconnects

    function warn(...args) {
      if (debug) console.warn('worksocket:', ...args);
    }

    // App code must never break the connection: a throwing handler is swallowed so the
    // frames after it are still dispatched and the socket stays up.
    function safe(fn, args) {
      try {
        fn.apply(self, args);
      } catch (e) {
        if (debug) console.error('worksocket: handler threw', e);
      }
    }

    function fail(cb, code, message) {
      if (cb) safe(cb, [null, wsError(code, message)]);
    }

    function connect() {
      timer = null;
      var s = new WebSocket(url);
      sock = s;
      // Every handler checks s === sock so a stale socket can never touch current state.
      s.onopen = function () {
        if (s !== sock) return;
        delay = MIN_DELAY;
        // onopen first, queue after: the app's (re)join call must reach the server before
        // anything the user did while offline.
        if (opts.onopen) safe(opts.onopen, []);
        flush();
      };
      s.onmessage = function (ev) {
        if (s === sock) dispatch(ev.data);
      };
      s.onerror = function (ev) {
        if (s === sock && opts.onerror) safe(opts.onerror, [ev]);
      };
      s.onclose = function (ev) {
        if (s !== sock) return;
        sock = null;
        // Nobody will answer what was already sent; tell the callers instead of leaving
        // them waiting forever. Queued calls stay queued for the next connection.
        var cbs = Array.from(pending.values());
        pending.clear();
        cbs.forEach(function (cb) {
          fail(cb, 'DISCONNECTED', 'connection closed before the reply arrived');
        });
        if (opts.onclose) safe(opts.onclose, [ev]);
        if (closed) return; // checked after onclose, which may itself call close()
        var wait = delay;
        if (ev.code === CLOSE_DENIED) {
          // Retrying quickly won't change init()'s mind; just don't hammer the server.
          warn('denied by the server (1008)');
          wait = MAX_DELAY;
        }
        delay = Math.min(delay * 2, MAX_DELAY);
        timer = setTimeout(connect, wait);
      };
    }

    function dispatch(data) {
      var msg;
      try {
        msg = JSON.parse(data);
      } catch (e) {
        warn('unreadable frame', data);
        return;
      }
      if (!Array.isArray(msg) || typeof msg[0] !== 'string') {
        warn('unexpected frame', msg);
        return;
      }
      var name = msg[0], param = msg[1];
      if (name === '_rpc') {
        var cb = pending.get(msg[2]);
        if (!cb) return warn('reply to an unknown call', msg[2]);
        pending.delete(msg[2]);
        var e = msg[3];
        if (e) safe(cb, [null, wsError(e.code || 'ERROR', e.message || 'call failed')]);
        else safe(cb, [param]);
        return;
      }
      var fn = handlers[name];
      if (fn) safe(fn, [param]);
      else if (name === '_error') warn('server error', param);
      else warn('no handler for event', name);
    }

    function transmit(item) {
      if (item.cb) pending.set(item.seq, item.cb);
      sock.send(item.data);
    }

    function flush() {
      while (queue.length && sock && sock.readyState === OPEN) transmit(queue.shift());
    }

    function enqueue(item) {
      if (closed) return fail(item.cb, 'CLOSED', 'worksocket was closed');
      // Sending directly while open (even with a queue left) is what lets onopen's calls
      // overtake the offline queue.
      if (sock && sock.readyState === OPEN) return transmit(item);
      queue.push(item);
      while (queue.length > MAX_QUEUE) {
        warn('offline queue full, dropping the oldest frame');
        fail(queue.shift().cb, 'DROPPED', 'dropped from the full offline queue');
      }
    }

    this.sendJSON = function (value) {
      enqueue({data: JSON.stringify(value)});
    };

    // Without a callback no seq is sent, so the server doesn't bother replying
    // (failures then arrive as an "_error" event).
    this.rpc = function (name, param, cb) {
      if (typeof cb !== 'function') return enqueue({data: JSON.stringify([name, param])});
      var seq = ++lastSeq;
      enqueue({data: JSON.stringify([name, param, seq]), seq: seq, cb: cb});
    };

    this.on = function (name, fn) {
      handlers[name] = fn;
      return self;
    };

    this.close = function () {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      timer = null;
      queue.splice(0).forEach(function (item) {
        fail(item.cb, 'CLOSED', 'worksocket was closed');
      });
      // The socket's close event fails the calls on the wire and calls onclose.
      if (sock) sock.close(1000);
    };

    // Between a drop and the next attempt we report CONNECTING: a reconnect is under way.
    Object.defineProperty(this, 'readyState', {
      get: function () {
        return sock ? sock.readyState : closed ? CLOSED : CONNECTING;
      }
    });

    connect();
  }

  global.worksocket = worksocket;
})(typeof globalThis !== 'undefined' ? globalThis : window);
