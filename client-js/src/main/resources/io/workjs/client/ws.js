/*
 * worksocket: the WorkJS browser client. /_workjs/ws.js is this classic script (it sets
 * globalThis.worksocket and is injected into pages whose route has the {"ws": "t"} flag);
 * /_workjs/ws.mjs is the same client as an ES module. Types: ws.d.ts. Manual: docs/CLIENT.md.
 *
 *   var ws = new worksocket({onopen: function () { ws.rpc('hello', {nick: 'ann'}); }});
 *   ws.rpc(name, param).then(function (result) {}, function (err) { err.code; err.message; });
 *   ws.rpc(name, param, {timeout: 5000});             // a Promise with its own timeout
 *   ws.rpc(name, param, function (result, err) {});   // failure: result null, err 2nd argument
 *   ws.on(name, function (param) {});  ws.off(name);  // one handler per event name
 *   ws.sendJSON(value);   // a raw frame; true if sent or queued, false if refused
 *   ws.close();           // for good
 *   ws.state;             // 'connecting' | 'open' | 'closed'; ws.readyState: 0-3 as WebSocket
 *
 * Options, with their defaults (DEFAULTS below):
 *   onopen(info)      null   on EVERY (re)connection, before anything queued is sent: (re)join here
 *                            unless info.resumed (the same connection came back; info.reason says
 *                            why not, after a drop that could not be resumed; info.moved: it came
 *                            back on another node of a cluster)
 *   onclose(ev)       null   the WebSocket's CloseEvent, each time a connection closes
 *   onerror(err)      null   an Error with .code: DENIED (.final = true on the last one),
 *                            SERVER_ERROR, CONNECTION_ERROR, a server code from "_error"
 *                            (EVENTS_LOST: a cluster could not deliver some group events), or
 *                            NODE_LOST (resumed on another node of a cluster after its own died:
 *                            group events were recovered, messages to this connection alone may not),
 *                            SESSION_FAILED (the browser could not take the cookie of a session
 *                            the server regenerated)
 *   onstatechange(s)  null   after each change of ws.state
 *   url               the page's own URL: ws:/wss: as http:/https:, same host, path and query
 *   minDelay          500    ms, the longest wait before the first reconnect (doubling after each failure)
 *   maxDelay          10000  ms, the longest wait; the wait after a 1008 or 1011 close
 *   timeout           30000  ms per rpc() from the call on (so it bounds time queued too); 0 = none
 *   queueSize         1000   frames kept while offline; when full, NEW sends are refused
 *   maxDenials        3      consecutive 1008 closes after which it stops reconnecting for good
 *   resume            true   ask the server to keep the connection across drops (docs/PROTOCOL.md)
 *   debug             false  console.warn about swallowed errors and oddities; silent otherwise
 *
 * Client error codes: TIMEOUT, DISCONNECTED, QUEUE_FULL, CLOSED, DENIED, SERVER_ERROR,
 * CONNECTION_ERROR; calls also fail with the server's codes (docs/PROTOCOL.md).
 */
(function (global) {
  'use strict';

  var DEFAULTS = {
    onopen: null, onclose: null, onerror: null, onstatechange: null, url: null,
    minDelay: 500, maxDelay: 10000, timeout: 30000, queueSize: 1000, maxDenials: 3, resume: true, debug: false
  };
  var CONNECTING = 0, OPEN = 1, CLOSED = 3;
  var CLOSE_DENIED = 1008, CLOSE_SERVER_ERROR = 1011, CLOSE_RESTART = 1012;
  // Resumable connections (docs/PROTOCOL.md): the subprotocol that asks for them, the control
  // frames (never numbered, never handed to the page), how often to acknowledge, and the close
  // code for a socket given up because it went silent (not 1000, which would end the connection).
  var RESUME_PROTOCOL = 'workjs.resume.1';
  var CONTROL = /^\["_(welcome|ack|ping|ended)"/;
  var ACK_EVERY = 32, ACK_AFTER = 1000;
  var CLOSE_SILENT = 4001;
  // Where the browser trades a _session event's ticket for its new session cookie, and how long
  // it waits for the answer before it gives up (SESSION_FAILED) and goes on.
  var RENEW_PATH = '/_workjs/session', RENEW_TIMEOUT = 10000;
  // A cluster's group event carries its position as a third element: "MS-SEQ".
  var POSITION = /^[0-9]{1,20}-[0-9]{1,20}$/;
  // The server upgrades first and runs init() after, so an open socket may still be denied.
  // Any frame from the server, or this long without a close, means init() said yes.
  var ACCEPTED_AFTER = 2000;

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

  // Uniform in [lo, hi], so the clients of a restarted server come back spread out.
  function jitter(lo, hi) {
    return lo + Math.random() * (hi - lo);
  }

  /*
   * Connection management: one socket at a time, reconnects with backoff, the state. Knows
   * nothing of calls or events; reports to the API through `on` (open, message, close, stop,
   * state, error).
   */
  function connection(opts, on) {
    var sock = null;
    var timer = null;       // the next reconnect
    var attempt = 0;        // n: consecutive failed attempts
    var denials = 0;        // consecutive 1008 closes with no accepted connection in between
    var stopped = false;
    var conn = {state: 'connecting', isOpen: isOpen, send: send, readyState: readyState, stop: stop,
      resumable: false, ended: false, info: {resumed: false}};

    function setState(next) {
      if (conn.state === next) return;
      conn.state = next;
      on.state(next);
    }

    function connect() {
      timer = null;
      // A malformed url throws, the first time out of the constructor.
      var s = opts.resume ? new WebSocket(opts.url, [RESUME_PROTOCOL]) : new WebSocket(opts.url);
      var opened = false, acceptTimer = null, silence = null, heartbeatMs = 0;
      sock = s;
      function accept() {
        clearTimeout(acceptTimer);
        if (s === sock) denials = 0;
      }
      // On a resumable socket the server shows it is alive at least every heartbeatMs: silence
      // longer than that means the network is gone (a half-open socket); give it up and resume.
      function heard() {
        clearTimeout(silence);
        if (heartbeatMs > 0) silence = setTimeout(giveUp, heartbeatMs);
      }
      function giveUp() {
        if (s !== sock) return;
        if (opts.debug) console.warn('worksocket: nothing heard for ' + heartbeatMs + ' ms, reconnecting');
        s.onclose({code: CLOSE_SILENT, reason: 'no sign of life', wasClean: false});   // as if it closed, now
        try { s.close(CLOSE_SILENT, 'no sign of life'); } catch (e) { /* already closing */ }
      }
      function announce() {
        opened = true;
        acceptTimer = setTimeout(accept, ACCEPTED_AFTER);
        conn.state = 'open'; // already, so onopen's sends go straight out; announced after it
        on.open(conn.info);
        if (s === sock && conn.state === 'open') on.state('open');
      }
      // Every handler checks s === sock, so a stale socket can never touch the current state.
      s.onopen = function () {
        if (s !== sock) return;
        conn.resumable = s.protocol === RESUME_PROTOCOL;
        if (!conn.resumable) return announce();
        s.send(on.hello());   // the connection is open once the server's _welcome says which
      };
      s.onmessage = function (ev) {
        if (s !== sock) return;
        if (conn.resumable) {
          heard();
          // Control frames come before init() has had its say: they do not show it accepted.
          if (typeof ev.data === 'string' && CONTROL.test(ev.data)) {
            var w = on.control(ev.data);
            if (w) {   // a _welcome: the server has said which connection this is
              heartbeatMs = w.heartbeatMs > 0 ? w.heartbeatMs : 0;
              heard();
              conn.info = {resumed: !!w.resumed};
              if (w.reason) conn.info.reason = w.reason;
              if (w.moved) conn.info.moved = true;
              announce();
            }
            return;
          }
        }
        accept();
        on.message(ev.data);
      };
      s.onerror = function () {
        // A socket error says nothing more (browsers hide the reason); the close follows.
        if (s === sock && !stopped) on.error(wsError('CONNECTION_ERROR', 'the WebSocket to ' + opts.url + ' failed'));
      };
      s.onclose = function (ev) {
        if (s !== sock) return;
        sock = null;
        clearTimeout(acceptTimer);
        clearTimeout(silence);
        on.close(ev, conn.resumable && !stopped && !conn.ended);
        conn.ended = false;
        if (stopped) return; // close() was called, maybe by onclose itself
        var err = null, wait;
        if (ev.code === CLOSE_DENIED || ev.code === CLOSE_SERVER_ERROR) {
          // init() said no or failed: a quick retry won't change that, so this counts as a
          // failure even though the socket opened, and the wait is long.
          var denied = ev.code === CLOSE_DENIED;
          err = wsError(denied ? 'DENIED' : 'SERVER_ERROR',
              ev.reason || (denied ? 'denied by the server' : 'the server failed to set up the connection'));
          wait = jitter(opts.maxDelay / 2, opts.maxDelay);
          if (denied && ++denials >= opts.maxDenials) {
            err.final = true;
            stopped = true;
            on.stop(err);
            setState('closed');
            on.error(err);
            return;
          }
        } else if (ev.code === CLOSE_RESTART) {
          // A draining server (docs/OPERATIONS.md) spreads these closes over time; each client
          // adds its own jitter, and its next connection reaches another server.
          attempt = 0;
          wait = jitter(opts.minDelay / 4, opts.minDelay);
        } else {
          if (opened) attempt = 0;
          // Full jitter: the first retry within minDelay, each later one within twice the last.
          wait = jitter(0, Math.min(opts.maxDelay, opts.minDelay * Math.pow(2, attempt)));
        }
        attempt++;
        setState('connecting');
        if (err) on.error(err);
        if (opts.debug) console.warn('worksocket: closed (' + ev.code + '), reconnecting in ' + Math.round(wait) + ' ms');
        if (!stopped) timer = setTimeout(connect, wait); // onerror may have called close()
      };
    }

    // Open for the page once the server said welcome (on a resumable socket) or at once (else).
    function isOpen() { return !!sock && sock.readyState === OPEN && conn.state === 'open'; }
    function send(data) { sock.send(data); }
    // Between a drop and the next attempt this says CONNECTING: a reconnect is under way.
    function readyState() { return sock ? sock.readyState : stopped ? CLOSED : CONNECTING; }

    function stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      setState('closed');
      if (!sock) return;
      // A resumable connection would wait for a resume: say it is over. (The close code cannot
      // say it: browsers close with 1001 as a page goes away, as a dropped socket looks.)
      if (conn.resumable && sock.readyState === OPEN) sock.send('["_bye",null]');
      sock.close(1000); // its close event still reaches onclose
    }

    connect();
    return conn;
  }

  /* The API: calls and their replies, events, the offline queue. */
  function worksocket(options) {
    if (!(this instanceof worksocket)) return new worksocket(options);
    var self = this;
    var opts = Object.assign({}, DEFAULTS);
    // Defaults first; an option given as undefined keeps its default.
    for (var key in options) if (options[key] !== undefined) opts[key] = options[key];
    if (!opts.url) opts.url = pageUrl();
    var handlers = Object.create(null);
    var pending = new Map(); // seq -> call, for calls on the wire
    var queue = [];          // {data, call} waiting for the next open, oldest first
    var lastSeq = 0;
    var closed = false;      // by close() or after maxDenials: nothing is sent any more
    // A resumable connection (docs/PROTOCOL.md): its token, the messages received, the number
    // last acknowledged, and the messages sent that the server has not acknowledged, oldest
    // first, numbered from `firstUnacked`.
    var token = null, received = 0, acknowledged = 0, ackTimer = null;
    var unacked = [], firstUnacked = 1;
    // On a cluster each group event carries its place in the group's one order ("MS-SEQ", the
    // third element): the last one is told on a resume, so that another node can replay what
    // came after it, and one at or before it is a replay's repeat, dropped.
    var lastEvent = null;
    // Frames that arrived while the browser takes a regenerated session's cookie (_session),
    // handed to the page once it has it; null when nothing is held.
    var held = null;

    function warn(...args) {
      if (opts.debug) console.warn('worksocket:', ...args);
    }

    // Page code must never break the connection: what a handler throws is swallowed, so the
    // frames after it are still dispatched and the socket stays up.
    function safe(fn, args) {
      if (!fn) return;
      try {
        fn.apply(self, args);
      } catch (e) {
        warn('a handler threw', e);
      }
    }

    // A call that wants a reply. It settles once: reply, failure or timeout, whichever is first;
    // a reply after that is ignored.
    function makeCall(seq, cb) {
      var call = {seq: seq, timer: null, done: false, promise: undefined};
      var resolve, reject;
      if (!cb) call.promise = new Promise(function (res, rej) { resolve = res; reject = rej; });
      call.settle = function (err, result) {
        if (call.done) return;
        call.done = true;
        clearTimeout(call.timer);
        pending.delete(seq);
        if (cb) safe(cb, err ? [null, err] : [result]);
        else if (err) reject(err);
        else resolve(result);
      };
      return call;
    }

    function failAll(calls, code, message) {
      calls.forEach(function (call) { if (call) call.settle(wsError(code, message)); });
    }
    function queuedCalls() {
      return queue.splice(0).map(function (item) { return item.call; });
    }

    function transmit(item) {
      if (item.call) pending.set(item.call.seq, item.call);
      if (conn.resumable) unacked.push(item.data);   // kept until the server has it
      conn.send(item.data);
    }

    // Resumable connections: what the server has received of ours, and what we tell it we have.
    function forgetUnacked(upTo) {
      while (firstUnacked <= upTo && unacked.length) {
        unacked.shift();
        firstUnacked++;
      }
    }
    function acknowledge() {
      clearTimeout(ackTimer);
      ackTimer = null;
      if (received > acknowledged && conn.isOpen()) {
        acknowledged = received;
        conn.send(JSON.stringify(['_ack', received]));
      }
    }
    function counted() {
      received++;
      if (received - acknowledged >= ACK_EVERY) acknowledge();
      else if (!ackTimer) ackTimer = setTimeout(acknowledge, ACK_AFTER);
    }
    function control(data) {
      var msg;
      try {
        msg = JSON.parse(data);
      } catch (e) {
        return warn('unreadable control frame', data);
      }
      if (msg[0] === '_ack') return forgetUnacked(msg[1]);
      if (msg[0] === '_ended') {
        // The server ended the connection for good (its close follows): no resume, and what
        // is on the wire fails at the close.
        conn.ended = true;
        token = null;
        warn('the server ended the connection:', (msg[1] || {}).reason);
        return null;
      }
      if (msg[0] !== '_welcome') return null;   // _ping: a sign of life, nothing more
      var w = msg[1] || {};
      token = w.token;
      if (w.resumed && w.lost) {
        // Resumed on another node because ours died: its group events follow, but its replies
        // and messages to this connection alone may be lost, and calls on the wire may or may
        // not have run. Numbering starts afresh with the new node.
        failAll(Array.from(pending.values()), 'DISCONNECTED', 'the server serving this connection went down before the reply ' +
            'arrived: the call may or may not have run');
        unacked = [];
        firstUnacked = 1;
        received = 0;
        acknowledged = 0;
        Promise.resolve().then(function () {
          safe(opts.onerror, [wsError(w.lost, 'the server serving this connection went down; its group events were recovered, ' +
              'but messages sent to this connection alone may be lost')]);
        });
      } else if (w.resumed) {
        forgetUnacked(w.received);
      } else {
        // A new connection: whatever was on the wire may or may not have run.
        failAll(Array.from(pending.values()), 'DISCONNECTED', 'connection lost before the reply arrived' +
            (w.reason ? ' and could not be resumed (' + w.reason + ')' : ''));
        lastEvent = null;
        unacked = [];
        firstUnacked = 1;
        received = 0;
        acknowledged = 0;
        if (w.reason) warn('the connection could not be resumed:', w.reason);
      }
      return w;
    }

    // Every frame goes through here: straight out while open (which is how onopen's frames
    // overtake the queue), else into the bounded queue. Returns false if refused.
    function send(data, call) {
      var refused = closed ? 'CLOSED' : !conn.isOpen() && queue.length >= opts.queueSize ? 'QUEUE_FULL' : null;
      if (refused) {
        var err = wsError(refused, closed ? 'worksocket is closed' : 'offline queue is full (' + opts.queueSize + ' frames)');
        warn('not sent:', err.message);
        // Fail later, never inside rpc() itself: callbacks always run asynchronously.
        if (call) Promise.resolve().then(function () { call.settle(err); });
        return false;
      }
      if (conn.isOpen()) transmit({data: data, call: call});
      else queue.push({data: data, call: call});
      return true;
    }

    function dispatch(data) {
      var msg;
      try {
        msg = JSON.parse(data);
      } catch (e) {
        return warn('unreadable frame', data);
      }
      if (!Array.isArray(msg) || typeof msg[0] !== 'string') return warn('unexpected frame', msg);
      var name = msg[0], param = msg[1];
      if (name === '_rpc') {
        var call = pending.get(msg[2]);
        if (!call) return warn('reply to an unknown or timed-out call', msg[2]);
        var e = msg[3];
        call.settle(e ? wsError(e.code || 'CALL_FAILED', e.message || 'call failed') : null, param);
        return;
      }
      if (name === '_error') {
        var p = param || {};
        if (opts.debug) console.error('worksocket: ' + (p.code || 'ERROR') + ': ' + (p.message || 'server error'));
        safe(handlers._error, [param]);
        safe(opts.onerror, [wsError(p.code || 'ERROR', p.message || 'server error')]);
        return;
      }
      if (name === '_session') return renewSession(param);
      if (name === '_reload') {
        // A server in development mode saw this page or a static file change (docs/OPERATIONS.md).
        // A page that handles the event itself decides; otherwise it reloads.
        if (opts.debug) console.info('worksocket: changed on the server: ' + ((param && param.files) || []).join(', '));
        if (handlers._reload) safe(handlers._reload, [param]);
        else if (typeof location !== 'undefined' && location.reload) location.reload();
        return;
      }
      if (msg.length === 3 && typeof msg[2] === 'string' && POSITION.test(msg[2])) {
        if (lastEvent !== null && !later(msg[2], lastEvent)) return;   // a replay's repeat
        lastEvent = msg[2];
      }
      if (handlers[name]) safe(handlers[name], [param]);
      else warn('no handler for event', name);
    }

    // this.sess.regenerate() on the server gave this connection a new session: the browser trades
    // the one-time ticket for the new cookie (docs/PROTOCOL.md), and what the server sent after
    // the signal reaches the page only once it has it, so that a page that moves on when the
    // login call answers already sends the new cookie.
    function renewSession(param) {
      var ticket = param && param.ticket;
      if (typeof ticket !== 'string' || typeof fetch !== 'function') return warn('cannot take a new session cookie', param);
      held = [];
      var done = false;
      var timer = setTimeout(function () {
        release(wsError('SESSION_FAILED', 'no answer within ' + RENEW_TIMEOUT + ' ms while taking the new session cookie'));
      }, RENEW_TIMEOUT);
      function release(err) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) {
          warn(err.message);
          safe(opts.onerror, [err]);
        }
        var frames = held;
        held = null;
        for (var i = 0; i < frames.length; i++) {
          if (held) {   // another _session among them: the rest wait for that one
            held.push.apply(held, frames.slice(i));
            break;
          }
          dispatch(frames[i]);
        }
      }
      var url = new URL(RENEW_PATH, opts.url.replace(/^ws(s?):/i, 'http$1:')).href;
      fetch(url, {method: 'POST', body: ticket, credentials: 'include', cache: 'no-store', headers: {'Content-Type': 'text/plain'}})
        .then(function (res) {
          release(res.ok ? null : wsError('SESSION_FAILED', 'the server refused the new session cookie: HTTP ' + res.status));
        }, function (e) {
          release(wsError('SESSION_FAILED', 'could not take the new session cookie: ' + e.message));
        });
    }

    // True when event position a ("MS-SEQ") comes after b in its group's order.
    function later(a, b) {
      var i = a.indexOf('-'), j = b.indexOf('-');
      var ams = Number(a.substring(0, i)), bms = Number(b.substring(0, j));
      return ams !== bms ? ams > bms : Number(a.substring(i + 1)) > Number(b.substring(j + 1));
    }

    var conn = connection(opts, {
      hello: function () {
        var hello = {token: token, received: received};
        if (token !== null && lastEvent !== null) hello.event = lastEvent;
        return JSON.stringify(['_hello', hello]);
      },
      control: control,
      open: function (info) {
        // A resumed connection first sends again what the server did not get, in order.
        if (info.resumed) unacked.forEach(function (data) { conn.send(data); });
        safe(opts.onopen, [info]);
        // What waited while offline goes out now, in order, after onopen's own frames.
        while (queue.length && conn.isOpen()) transmit(queue.shift());
      },
      message: function (data) {
        if (conn.resumable) counted();
        if (held) held.push(data);
        else dispatch(data);
      },
      close: function (ev, mayResume) {
        clearTimeout(ackTimer);
        ackTimer = null;
        // Nobody will answer what was on the wire: say so instead of leaving callers waiting;
        // unless the connection may resume, which answers them (or says then that it did not).
        if (!mayResume) failAll(Array.from(pending.values()), 'DISCONNECTED', 'connection closed before the reply arrived');
        safe(opts.onclose, [ev]);
      },
      stop: function (err) {
        closed = true;
        failAll(queuedCalls(), 'CLOSED', 'worksocket stopped: ' + err.message);
        failAll(Array.from(pending.values()), 'DISCONNECTED', 'worksocket stopped: ' + err.message);
      },
      state: function (state) { safe(opts.onstatechange, [state]); },
      error: function (err) { safe(opts.onerror, [err]); }
    });

    this.sendJSON = function (value) {
      return send(JSON.stringify(value), null);
    };

    this.rpc = function (name, param, cb, options) {
      if (typeof cb !== 'function') {
        options = cb;
        cb = null;
      }
      var timeout = options && options.timeout != null ? options.timeout : opts.timeout;
      var seq = ++lastSeq;
      var data = JSON.stringify([name, param, seq]);
      var call = makeCall(seq, cb);
      if (send(data, call) && timeout > 0) {
        call.timer = setTimeout(function () {
          queue = queue.filter(function (item) { return item.call !== call; });
          call.settle(wsError('TIMEOUT', 'no reply to ' + name + ' within ' + timeout + ' ms'));
        }, timeout);
      }
      return call.promise;
    };

    this.on = function (name, fn) { handlers[name] = fn; return self; };
    this.off = function (name) { delete handlers[name]; return self; };

    this.close = function () {
      if (closed) return;
      closed = true;
      // The browser drops frames once close() is called, so calls on the wire fail now too.
      failAll(queuedCalls(), 'CLOSED', 'worksocket was closed');
      failAll(Array.from(pending.values()), 'CLOSED', 'worksocket was closed');
      conn.stop();
    };

    // A page that goes away ends its connection for good (1000) at once, rather than leaving it
    // to wait for a resume that will not come; a page kept in the back-forward cache is only frozen.
    if (typeof global.addEventListener === 'function') {
      global.addEventListener('pagehide', function (ev) { if (!ev.persisted) self.close(); });
    }

    Object.defineProperty(this, 'state', {enumerable: true, get: function () { return conn.state; }});
    Object.defineProperty(this, 'readyState', {enumerable: true, get: function () { return conn.readyState(); }});
  }

  global.worksocket = worksocket;
})(typeof globalThis !== 'undefined' ? globalThis : window);
