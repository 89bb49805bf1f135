// The JavaScript half of the runtime: controllers, connections, dispatch and the one error
// path. Evaluated once per context after globals.js, db.js, modules.js and sessions.js, whose
// functions arrive in `lib`; it receives the Java host (io.workjs.runtime.internal.Host) and
// returns the functions the loop calls. Everything here runs on the one loop thread, so plain
// objects need no locking. Java decides what it can before a frame gets here (Inbox.java: its
// depth, the rate limit, the queue bounds); group membership and delivery are Java's too
// (host.groups, over io.workjs.runtime.GroupBus). `constantsJson` holds the limits this file
// names in messages and the close codes it sends (io.workjs.runtime.CloseCodes).
(function (host, lib, constantsJson) {
  'use strict';

  const { format, makeConsole, evaluateController, forgetModules, acquireSession, releaseSession, db, own, disown, adopt, parseFrame } = lib;

  const { limits: LIMITS, close: CLOSE, metrics: METRICS } = JSON.parse(constantsJson);
  // Frame flags from Inbox.java.
  const TOO_DEEP = 1, LIMITED = 2, CUT_OFF = 4;
  const LOGGED_ERRORS = 20;
  // The controller code running now, so that a task the watchdog interrupts can be answered
  // (see interrupted()); null between tasks. It is cleared only once the task's own error
  // handling has finished: GraalJS runs catch and finally blocks while it unwinds an
  // interrupt, and clearing it there would lose who to answer.
  let current = null;
  // The connection whose task runs now, for the log lines it writes (globals.js, makeConsole).
  lib.connectionId = () => (current ? current.c.id : null);

  const controllers = new Map();   // site-relative file -> {file, calls, init, exit, away, back, console}
  // Functions the server calls, never a client: init and exit on every connection, away and
  // back when a resumable connection drops and returns.
  const LIFECYCLE = new Set(['init', 'exit', 'away', 'back']);
  // Group id -> {handle (Java), view (this.group), local (members on this loop)}: the
  // membership itself is the bus's; this only keeps one handle and one view per group.
  const groups = new Map();
  // `this` -> its connection record. A WeakMap, not a symbol property: Object.getOwnPropertySymbols
  // would hand a controller the record and the host objects in it (its connection, its group).
  const records = new WeakMap();

  // require('workjs').groups: how many members each group of a controller has, on every node of a
  // cluster, and a way to hear when that changes. Listeners run after the task that changed it,
  // once per controller however many joins and leaves it made.
  const sizeListeners = new Map();   // controller file -> Set of functions
  const sizesDirty = new Set();
  host.groups.watchSizes((file) => {
    if (!sizeListeners.has(file) || sizesDirty.has(file)) return;
    sizesDirty.add(file);
    if (sizesDirty.size === 1) Promise.resolve().then(notifySizes);
  });
  function notifySizes() {
    const files = Array.from(sizesDirty);
    sizesDirty.clear();
    for (const file of files) {
      for (const fn of sizeListeners.get(file) || []) {
        try { fn(); } catch (e) { host.log(file, 'error', 'a groups.onChange listener failed: ' + describe(e)); }
      }
    }
  }
  lib.groups = Object.freeze({
    sizes(controller) { return JSON.parse(host.groups.sizes(String(controller))); },
    onChange(controller, fn) {
      if (typeof fn !== 'function') throw new TypeError('groups.onChange(controller, fn): fn must be a function');
      const file = String(controller);
      if (!sizeListeners.has(file)) {
        sizeListeners.set(file, new Set());
        host.groups.sizes(file);   // a cluster's bus starts keeping this controller's sizes now
      }
      const listeners = sizeListeners.get(file);
      listeners.add(fn);
      own(() => listeners.delete(fn));   // added by top-level code: a reload of that file removes it
    },
  });

  // Call statistics for the admin listener's /metrics (docs/OPERATIONS.md), kept only when it is
  // on: per controller, the calls by function and outcome ("ok" or the error code), and how
  // long they took from dispatch to answer. Labels stay bounded: a function the controller does
  // not have counts as "_unknown", and past MAX_CODES distinct codes per controller the rest
  // count as "OTHER". Durations go into fixed buckets, in seconds (the last is everything above).
  const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const MAX_CODES = 32;
  let deniedByInit = 0;   // connections init() refused, failed or timed out on
  const clock = () => host.clock();   // ms, finer than Date.now()'s whole milliseconds
  function counted(ctrl, name, outcome, started) {
    let s = ctrl.stats;
    if (!s) s = ctrl.stats = { calls: new Map(), codes: new Set(), buckets: new Array(BUCKETS.length + 1).fill(0), sum: 0 };
    const fn = ctrl.calls.has(name) ? name : '_unknown';
    if (outcome !== 'ok' && !s.codes.has(outcome)) {
      if (s.codes.size < MAX_CODES) s.codes.add(outcome);
      else outcome = 'OTHER';
    }
    let byOutcome = s.calls.get(fn);
    if (!byOutcome) s.calls.set(fn, (byOutcome = new Map()));
    byOutcome.set(outcome, (byOutcome.get(outcome) || 0) + 1);
    if (started !== undefined) {
      const seconds = (clock() - started) / 1000;
      let i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
      s.buckets[i]++;
      s.sum += seconds;
    }
  }
  // {bounds, controllers: {file: {calls: {fn: {outcome: n}}, buckets: [...], sum}}, deniedByInit}:
  // every controller that had a call.
  function callStats() {
    const out = {};
    for (const ctrl of controllers.values()) {
      const s = ctrl.stats;
      if (!s) continue;
      const calls = {};
      for (const [fn, byOutcome] of s.calls) calls[fn] = Object.fromEntries(byOutcome);
      out[ctrl.file] = { calls, buckets: s.buckets, sum: s.sum };
    }
    return JSON.stringify({ bounds: BUCKETS, controllers: out, deniedByInit });
  }

  // Loads a controller; returns the names a client may call, comma-separated. Loading a file
  // again (development mode) replaces its functions in the same record, so open connections
  // keep their `this` and group and run the new code from their next call; what the old
  // version's top-level code set up (timers, onChange listeners) is undone, but only once the
  // new version has loaded: a version that fails leaves the old one serving.
  function load(file, source) {
    const staged = file + '\u0000loading';
    let evaluated;
    try {
      evaluated = evaluateController(file, source, staged);
    } catch (e) {
      disown(staged);   // what the failed version's top-level code set up before it failed
      throw e;
    }
    adopt(staged, file);
    const { members, usesExports } = evaluated;
    // Own enumerable functions only: nothing inherited from Object.prototype is ever callable,
    // and the lifecycle functions are kept apart from the calls.
    const calls = new Map();
    const lifecycle = {};
    for (const name of Object.keys(members)) {
      const fn = members[name];
      if (typeof fn !== 'function') continue;
      if (!usesExports && fn === globalThis[name]) continue;
      if (LIFECYCLE.has(name)) lifecycle[name] = fn;
      else calls.set(name, fn);
    }
    const { init, exit, away, back } = lifecycle;
    const existing = controllers.get(file);
    if (existing) Object.assign(existing, { calls, init, exit, away, back });
    else controllers.set(file, { file, calls, init, exit, away, back, console: makeConsole(file) });
    if (!init) host.log(file, 'warn', 'no init() defined: every connection will be denied');
    return Array.from(calls.keys()).join(',');
  }

  // The `this` of every call on one connection. Methods sit on the prototype so each
  // connection costs only its own fields.
  const ConnectionPrototype = {
    emit(name, param) {
      const c = records.get(this);
      const event = String(name);
      if (RESERVED.has(event)) throw reserved(event);
      if (!c.group) {
        c.ctrl.console.warn('emit("' + name + '") before init() accepted the connection: dropped');
        return;
      }
      c.group.handle.publish(JSON.stringify([event, param === undefined ? null : param]));
    },
    sendJSON(value) {
      const text = JSON.stringify(value === undefined ? null : value);
      refuseControlLookalike(text);
      records.get(this).conn.send(text);
    },
  };
  // this.db: one object for the whole site (db.js), read-only like the methods.
  Object.defineProperty(ConnectionPrototype, 'db', { value: db, enumerable: false });

  // The control frames of resumable connections (docs/PROTOCOL.md) are recognised by their first
  // element; a message that looked like one would be misread, and counted wrong, by the client.
  const RESERVED = new Set(['_hello', '_welcome', '_ack', '_ping', '_ended', '_bye']);
  function reserved(name) {
    const e = new Error('"' + name + '" is reserved for the protocol: use another event name');
    e.code = 'RESERVED_NAME';
    return e;
  }
  function refuseControlLookalike(text) {
    if (text.startsWith('["_')) {
      const end = text.indexOf('"', 3);
      const name = end > 0 ? text.substring(2, end) : '';
      if (RESERVED.has(name)) throw reserved(name);
    }
  }

  // this.ws: like the original ws object, its methods are shared by every connection and the
  // socket is a private field, out of the controller's reach; an idle connection pays one object.
  class Ws {
    #conn;
    constructor(conn) {
      this.#conn = conn;
      Object.freeze(this);
    }
    send(text) {
      const t = String(text);
      refuseControlLookalike(t);
      this.#conn.send(t);
    }
    close(code, reason) {
      this.#conn.close(closeCode(code), reason === undefined ? '' : String(reason));
    }
    get readyState() {
      return this.#conn.readyState();
    }
  }
  Object.freeze(Ws.prototype);
  function wsObject(conn) {
    return new Ws(conn);
  }

  // RFC 6455 lets an application send 1000 or a code of its own from 3000 to 4999.
  function closeCode(code) {
    if (code === undefined) return CLOSE.NORMAL;
    if (code === CLOSE.NORMAL || (Number.isInteger(code) && code >= CLOSE.APPLICATION_MIN && code <= CLOSE.APPLICATION_MAX)) return code;
    throw new RangeError('close code must be ' + CLOSE.NORMAL + ' or ' + CLOSE.APPLICATION_MIN + '-' + CLOSE.APPLICATION_MAX + ', got ' + code);
  }

  // this.group: the members of the group, their `this` keyed by id, read from the bus on every
  // look. Read-only: membership changes only through init() and close. On a cluster, a member
  // of another node arrives as the JSON text of its last reported state (reportState below) and
  // is seen as a frozen copy, parsed again only when its text changes.
  function groupView(handle) {
    const snapshots = new Map();   // id -> {text, value}, members of other nodes only
    const member = (id) => {
      if (typeof id !== 'string') return null;
      const m = handle.member(id);
      if (typeof m !== 'string') {
        if (snapshots.size > 0) snapshots.delete(id);
        return m;
      }
      const seen = snapshots.get(id);
      if (seen && seen.text === m) return seen.value;
      const value = deepFreeze(JSON.parse(m));
      snapshots.set(id, { text: m, value });
      return value;
    };
    return new Proxy(Object.create(null), {
      get: (target, id) => member(id) ?? undefined,
      has: (target, id) => member(id) !== null,
      ownKeys: () => {
        const ids = handle.ids();
        return ids === '' ? [] : ids.split(',');
      },
      getOwnPropertyDescriptor: (target, id) => {
        const m = member(id);
        return m === null ? undefined : { value: m, writable: false, enumerable: true, configurable: true };
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    });
  }

  function deepFreeze(value) {
    if (value !== null && typeof value === 'object') {
      for (const k of Object.keys(value)) deepFreeze(value[k]);
      Object.freeze(value);
    }
    return value;
  }

  // On a cluster, other nodes see a member as the JSON-encodable fields its controller stored
  // on `this`, as of its last completed call (docs/CLUSTER.md). The runtime's own objects stay
  // out; so does a field JSON cannot encode, or a state past STATE_MAX characters, which is
  // cut down to the member's id and key, once warned. A completed call only marks its member;
  // the states are taken and handed over once the loop has given the work waiting its turn, so
  // a member that made several calls meanwhile is encoded once.
  const SHARES_STATE = host.groups.sharesState();
  const NOT_STATE = new Set(['ws', 'sess', 'log', 'group']);
  const STATE_MAX = 65536;
  const marked = [];
  function reportState(c) {
    if (!SHARES_STATE || c.closed || !c.group || c.marked) return;
    c.marked = true;
    marked.push(c);
    if (marked.length === 1) host.groups.later(reportStates);
  }

  // Taken off the list first: a state that cannot be taken (the watchdog stopped a getter on
  // `this`) costs that round's states, never the later rounds'.
  function reportStates() {
    const taking = marked.splice(0);
    for (const c of taking) c.marked = false;
    for (const c of taking) takeState(c);
  }

  function takeState(c) {
    if (c.closed || !c.group) return;
    const self = c.self;
    let text = '{';
    for (const k of Object.keys(self)) {
      if (NOT_STATE.has(k)) continue;
      let t;
      try {
        const v = self[k];   // a getter may throw: that field is left out, like one JSON cannot encode
        if (v === undefined || typeof v === 'function') continue;
        t = JSON.stringify(v);
      } catch (e) { continue; }
      if (t === undefined) continue;
      if (text.length > 1) text += ',';
      text += JSON.stringify(k) + ':' + t;
    }
    text += '}';
    if (text.length > STATE_MAX) {
      if (!c.stateTooBig) c.ctrl.console.warn('connection ' + c.id + ': the state on `this` is over ' + STATE_MAX +
          ' characters as JSON; other nodes see only its id and group key');
      c.stateTooBig = true;
      text = JSON.stringify({ id: self.id, group_id: self.group_id });
    }
    if (text === c.state) return;
    c.state = text;
    c.group.handle.state(c.conn, text);
  }

  // A new connection: its `this` now, init() once its session is loaded. `conn` is the Java
  // side (JsConnection): send, close, readyState, and settled(), which lets its frames run.
  // Every connection that has not ended, for tell().
  const live = new Set();

  // Development mode: `text` to every connection of the controllers named (all when null).
  function tell(filesJson, text) {
    const files = filesJson === null ? null : new Set(JSON.parse(filesJson));
    for (const c of live) if (!c.closed && (files === null || files.has(c.ctrl.file))) c.conn.send(text);
  }

  // Development mode: true when a changed file was a loaded module (all are forgotten then).
  function forget(filesJson) {
    return forgetModules(JSON.parse(filesJson));
  }

  // The files of the controllers loaded, as JSON.
  function loaded() {
    return JSON.stringify(Array.from(controllers.keys()));
  }

  function open(conn, file, contextJson, sessionId) {
    const ctrl = controllers.get(file);
    const id = conn.id();
    const self = Object.create(ConnectionPrototype);
    self.id = id;
    self.ws = wsObject(conn);
    self.context = JSON.parse(contextJson);
    self.sess = undefined;
    self.log = ctrl.console;
    self.group = undefined;
    self.group_id = undefined;
    conn.attach(self);
    // The record is handed back to Java, which passes it to message() and closed(): a lookup by
    // id here would hash the id string on every frame.
    const c = { id, self, conn, ctrl, sess: null, group: null, closed: false, settled: false, state: null, marked: false };
    records.set(self, c);
    live.add(c);
    if (!ctrl.init) {
      deny(c, CLOSE.POLICY_VIOLATION, 'controller has no init()');
      return c;
    }
    acquireSession(sessionId, (sess) => {
      if (c.closed) return releaseSession(sess);
      c.sess = sess;
      self.sess = sess;
      runInit(c);
    }, (newId, ticket) => renewed(c, newId, ticket));
    return c;
  }

  // this.sess.regenerate() gave the connection a new session id: the transport checks a
  // returning client against it, a cluster's member record carries it, and the client is sent
  // the one-time ticket for the new cookie (docs/PROTOCOL.md, "_session").
  function renewed(c, newId, ticket) {
    c.conn.renewSession(newId);
    if (SHARES_STATE && c.group && !c.closed && c.state !== null) c.group.handle.state(c.conn, c.state);
    c.conn.send(JSON.stringify(['_session', { ticket }]));
  }

  function runInit(c) {
    let key;
    current = { c, kind: 'init' };
    try {
      key = c.ctrl.init.call(c.self);
      current = null;
    } catch (e) {
      failInit(c, e);
      current = null;
      return;
    }
    if (key && typeof key.then === 'function') {
      key.then((k) => accept(c, k), (e) => failInit(c, e));
    } else {
      accept(c, key);
    }
  }

  // `after`: for a connection that moved here from another node (restore), the position of the
  // last group event its client has; the group's later events reach it first (GroupBus.rejoin).
  function accept(c, key, moving, after) {
    if (c.closed) return;   // closed while init() was pending
    if (!key) return deny(c, CLOSE.POLICY_VIOLATION, 'denied by init()');
    if (typeof key !== 'string' && typeof key !== 'number') {
      c.ctrl.console.error('init() returned a ' + typeof key + '; a group key must be a string or a number');
      return deny(c, CLOSE.INTERNAL_ERROR, 'init() returned an invalid group key');
    }
    const groupId = c.ctrl.file + '\u0000' + key;
    let group = groups.get(groupId);
    if (!group) {
      const handle = host.groups.group(groupId);
      group = { id: groupId, handle, view: groupView(handle), local: 0 };
      groups.set(groupId, group);
    }
    if (moving) group.handle.rejoin(c.conn, after === undefined ? null : after);
    else group.handle.join(c.conn);
    group.local++;
    c.group = group;
    c.self.group = group.view;
    c.self.group_id = key;
    reportState(c);
    // On a cluster the first member of a group here waits until this node knows the others.
    if (group.handle.ready(() => settle(c))) settle(c);
  }

  function failInit(c, e) {
    c.ctrl.console.error('init() failed: ' + describe(e));
    deny(c, CLOSE.INTERNAL_ERROR, 'init() failed');
  }

  // `init` false: the connection was accepted and is cut off now (too many calls), which is not
  // one init() refused.
  function deny(c, code, reason, init = true) {
    if (METRICS && init && !c.group) deniedByInit++;
    c.denied = true;
    c.conn.close(code, reason);
    settle(c);
  }

  // init() is done, one way or the other: the frames that waited in Java may run now.
  function settle(c) {
    if (c.settled) return;
    c.settled = true;
    c.conn.settled();
  }

  // The stack of a controller error without the runtime's own frames, which say nothing to a user.
  function describe(e) {
    if (!(e instanceof Error)) return 'thrown value ' + format([e]);
    return String(e.stack || e).split('\n').filter((line) => !line.includes('(workjs/')).join('\n');
  }

  // A frame, in arrival order, once init() has settled. Java has already measured its depth
  // and taken its rate-limit token (Inbox.java): a frame too deep arrives without its text and
  // is never parsed, a rate-limited one is answered but runs nothing, and a client that would
  // not slow down is cut off.
  function message(c, text, flags) {
    if (c.denied) return;
    if (flags & CUT_OFF) return deny(c, CLOSE.POLICY_VIOLATION, 'too many calls', false);
    dispatch(c, text, (flags & TOO_DEEP) !== 0, (flags & LIMITED) !== 0);
  }

  function dispatch(c, text, tooDeep, limited) {
    if (tooDeep) {
      return refuse(c, undefined, false, undefined, 'TOO_DEEP', 'frame nests deeper than ' + LIMITS.maxJsonDepth + ' levels');
    }
    let frame;
    try {
      frame = parseFrame(text);   // json.js: JSON.parse's result, faster
    } catch (e) {
      return refuse(c, undefined, false, undefined, 'BAD_JSON', 'frame is not valid JSON: ' + e.message);
    }
    if (!Array.isArray(frame) || frame.length < 2 || frame.length > 3) {
      return refuse(c, undefined, false, undefined, 'BAD_FRAME', 'a frame is [name, param] or [name, param, seq]');
    }
    const name = frame[0];
    const hasSeq = frame.length === 3;
    const seq = frame[2];
    if (hasSeq && !validSeq(seq)) {
      return refuse(c, undefined, false, name, 'BAD_FRAME', 'seq must be a number or a string of at most 64 characters');
    }
    if (typeof name !== 'string') {
      return refuse(c, seq, hasSeq, undefined, 'BAD_FRAME', 'the function name must be a string');
    }
    if (name.length > LIMITS.maxNameLength) {
      return refuse(c, seq, hasSeq, undefined, 'BAD_FRAME', 'the function name is longer than ' + LIMITS.maxNameLength + ' characters');
    }
    if (limited) {
      return refuse(c, seq, hasSeq, name, 'RATE_LIMITED', 'more than ' + LIMITS.callsPerSecond + ' calls per second: slow down');
    }
    const fn = c.ctrl.calls.get(name);
    if (!fn) {
      return refuse(c, seq, hasSeq, name, 'NO_SUCH_FUNCTION', 'no callable function "' + clip(name) + '" in ' + c.ctrl.file);
    }
    let result;
    const started = METRICS ? clock() : undefined;
    // The task is also the call's record: Promise callbacks and timers set up while it runs
    // remember it (callbackOf), and an awaited one is found in `awaiting` by it.
    const call = { c, kind: 'call', name, seq, hasSeq, started, answered: false };
    current = call;
    try {
      result = fn.call(c.self, frame[1]);
      current = null;
    } catch (e) {
      failed(c, name, seq, hasSeq, e, started);
      current = null;
      return;
    }
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      c.running = (c.running || 0) + 1;
      awaiting.add(call);
      const answer = (fn) => (v) => {
        if (call.answered) return;   // answered TIMEOUT already (interrupted)
        call.answered = true;
        awaiting.delete(call);
        settled(c);
        fn(c, name, seq, hasSeq, v, started);
      };
      result.then(answer(reply), answer(failed));
    } else {
      reply(c, name, seq, hasSeq, result, started);
    }
  }

  // The call a Promise callback or timer belongs to: the one running when it was set up (or
  // whose callback set it up). A callback that did not return normally leaves its call in
  // `unfinished`: GraalJS runs finally blocks while it unwinds an interrupt, so that is how
  // interrupted() learns whose callback the watchdog stopped. A normal throw leaves it there too,
  // until the next callback returns; interrupted() answers only a call still awaiting.
  let inCallback = null;
  let unfinished = null;
  function callbackOf(fn) {
    const call = current !== null && current.kind === 'call' ? current : inCallback;
    if (call === null || typeof fn !== 'function') return fn;
    return function () {
      const outer = inCallback;
      inCallback = call;
      let returned = false;
      try {
        const result = fn.apply(this, arguments);
        returned = true;
        return result;
      } finally {
        inCallback = outer;
        unfinished = returned ? null : call;
      }
    };
  }
  const promiseThen = Promise.prototype.then;
  Object.defineProperty(Promise.prototype, 'then', {
    value: function then(onFulfilled, onRejected) {
      return promiseThen.call(this, callbackOf(onFulfilled), callbackOf(onRejected));
    },
    writable: true, configurable: true,
  });
  for (const name of ['setTimeout', 'setInterval']) {
    const schedule = globalThis[name];
    globalThis[name] = (fn, ms, ...args) => schedule(callbackOf(fn), ms, ...args);
  }

  // Calls whose Promise has not settled yet, oldest first: when the watchdog stops the code an
  // awaited Promise resumed (no JS catch sees that), its call would never be answered, so
  // interrupted() answers it instead.
  const awaiting = new Set();

  // A call's Promise settled; a drain waiting for the connection's calls goes on once none is left
  // (after this answer is sent: the drain's close is queued from a task of its own).
  function settled(c) {
    if (--c.running === 0 && c.idleWaiting) {
      c.idleWaiting = false;
      Promise.resolve().then(() => c.conn.idle());
    }
  }

  // A drain reached the connection (Inbox.java): true when none of its calls is still running;
  // else the connection is told (conn.idle) when the last one is answered.
  function idle(c) {
    if (!c || !c.running) return true;
    c.idleWaiting = true;
    return false;
  }

  // A frame answered with an error before any function ran: counted, with no duration.
  function refuse(c, seq, hasSeq, name, code, text) {
    if (METRICS) counted(c.ctrl, typeof name === 'string' ? name : '', code);
    report(c, seq, hasSeq, code, text);
  }

  function validSeq(seq) {
    return (typeof seq === 'number' && Number.isFinite(seq)) || (typeof seq === 'string' && seq.length <= 64);
  }

  function clip(name) {
    return name.length > 64 ? name.substring(0, 64) + '...' : name;
  }

  function reply(c, name, seq, hasSeq, value, started) {
    reportState(c);
    if (!hasSeq) {
      if (METRICS) counted(c.ctrl, name, 'ok', started);
      return;
    }
    let text;
    try {
      text = JSON.stringify(['_rpc', value === undefined ? null : value, seq]);
    } catch (e) {
      if (METRICS) counted(c.ctrl, name, 'BAD_RESULT', started);
      c.ctrl.console.error(name + '() returned a value that JSON cannot encode: ' + e.message);
      return report(c, seq, hasSeq, 'BAD_RESULT', name + '() returned a value that JSON cannot encode');
    }
    if (METRICS) counted(c.ctrl, name, 'ok', started);
    c.conn.send(text);
  }

  function failed(c, name, seq, hasSeq, e, started) {
    reportState(c);
    c.ctrl.console.error(name + '() failed: ' + describe(e));
    const code = e && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(e.code) ? e.code : 'CALL_FAILED';
    if (METRICS) counted(c.ctrl, name, code, started);
    const text = e instanceof Error ? e.message : format([e]);
    report(c, seq, hasSeq, code, text, true);
  }

  // One path for every error a client sees: a reply to its call when it gave a seq,
  // otherwise an `_error` event (which the original client ignores as an unknown event).
  // A call without seq has nobody waiting for a reply, so its failure is also logged here
  // (unless failed() has already logged it with its stack).
  // Logging is bounded too: a client sending garbage on purpose gets LOGGED_ERRORS lines, then one more saying so.
  function report(c, seq, hasSeq, code, text, logged) {
    const error = { code, message: text };
    if (!hasSeq && !logged) {
      c.logged = (c.logged || 0) + 1;
      if (c.logged <= LOGGED_ERRORS) logFrameError(c, 'connection ' + c.id + ': ' + code + ': ' + text + ' (no seq: sent as an _error event)');
      if (c.logged === LOGGED_ERRORS) logFrameError(c, 'connection ' + c.id + ': further frame errors of this connection are not logged');
    }
    c.conn.send(JSON.stringify(hasSeq ? ['_rpc', null, seq, error] : ['_error', error]));
  }

  // Clients' frame errors, all connections together, are logged at most FRAME_ERROR_LINES a
  // second, like refused upgrades (RefusalLog.java): many clients sending garbage cannot fill
  // the disk. The next line logged says how many were left out.
  const FRAME_ERROR_LINES = 10;
  let errorSecond = 0, errorLines = 0, errorsLeftOut = 0;
  function logFrameError(c, line) {
    const second = Math.floor(Date.now() / 1000);
    if (second !== errorSecond) {
      errorSecond = second;
      errorLines = 0;
    }
    if (errorLines >= FRAME_ERROR_LINES) {
      errorsLeftOut++;
      return;
    }
    errorLines++;
    if (errorsLeftOut > 0) {
      line += ' (' + errorsLeftOut + ' more frame errors of clients not logged)';
      errorsLeftOut = 0;
    }
    c.ctrl.console.warn(line);
  }

  // A `this` made from a member's state as another node reported it (reportState): its fields,
  // then the runtime's own (id, ws, log; the session comes later).
  function thisFromState(conn, stateJson, ctrl) {
    let state;
    try { state = JSON.parse(stateJson); } catch (e) { state = {}; }
    const self = Object.create(ConnectionPrototype);
    for (const k of Object.keys(state)) if (!NOT_STATE.has(k)) self[k] = state[k];
    self.id = conn.id();
    self.ws = wsObject(conn);
    self.log = ctrl ? ctrl.console : undefined;
    self.sess = undefined;
    return self;
  }

  // A connection that moved here from another node of the cluster (its client resumed here): its
  // `this` is made from its state after its last completed call there (its own fields, id,
  // context, group key), it joins its group again without init(), and back() runs.
  function restore(conn, groupId, stateJson, sessionId, after) {
    const nul = groupId.indexOf('\u0000');
    const ctrl = controllers.get(groupId.substring(0, nul));
    const self = thisFromState(conn, stateJson, ctrl);
    if (self.context === undefined) self.context = {};
    self.group = undefined;
    const key = self.group_id !== undefined ? self.group_id : groupId.substring(nul + 1);
    self.group_id = undefined;
    conn.attach(self);
    const c = { id: self.id, self, conn, ctrl, sess: null, group: null, closed: false, settled: false, state: null, marked: false };
    records.set(self, c);
    live.add(c);
    if (!ctrl) {
      deny(c, CLOSE.INTERNAL_ERROR, 'controller ' + groupId.substring(0, nul) + ' is not loaded on this node', false);
      return c;
    }
    acquireSession(sessionId, (sess) => {
      if (c.closed) return releaseSession(sess);
      c.sess = sess;
      self.sess = sess;
      accept(c, key, true, after);
      turn(c, 'back');
    }, (newId, ticket) => renewed(c, newId, ticket));
    return c;
  }

  // The connection moved to another node: it leaves this node, not its group, and exit() does
  // not run here (it runs on the node where the connection ends).
  function moved(c) {
    end(c, false);
  }

  function closed(c) {
    end(c, true);
  }

  // The connection is over on this node: its session is let go and it leaves its group here;
  // `forGood` when it ends (it leaves the group everywhere, and exit() runs), not when it moved.
  function end(c, forGood) {
    if (c.closed) return;
    if (!forGood && c.marked) takeState(c);   // the node it moves to goes on from its last state
    c.closed = true;
    live.delete(c);
    if (c.running) for (const call of awaiting) if (call.c === c) awaiting.delete(call);   // nobody to answer
    if (c.sess) releaseSession(c.sess);
    const group = c.group;
    if (!group) return;
    if (forGood) group.handle.leave(c.conn);
    else group.handle.handOver(c.conn);
    if (--group.local === 0) groups.delete(group.id);
    if (forGood) runExit(c);
  }

  function runExit(c) {
    if (!c.ctrl.exit) return;
    current = { c, kind: 'exit' };
    try {
      c.ctrl.exit.call(c.self);
      current = null;
    } catch (e) {
      c.ctrl.console.error('exit() failed: ' + describe(e));
      current = null;
    }
  }

  // On a cluster, a member whose node died and that did not come back within the resume window
  // has left its group (the cluster removed it everywhere); its exit() runs here, once, with a
  // `this` made from its last reported state: its fields, id, context and group key, the group
  // as this node sees it, its session, and a socket that is gone (sends go nowhere).
  function reaped(conn, groupId, stateJson, sessionId) {
    const nul = groupId.indexOf('\u0000');
    const ctrl = controllers.get(groupId.substring(0, nul));
    if (!ctrl || !ctrl.exit) return;
    const self = thisFromState(conn, stateJson, ctrl);
    let group = groups.get(groupId);
    const handle = group ? group.handle : host.groups.group(groupId);
    self.group = group ? group.view : groupView(handle);
    if (self.group_id === undefined) self.group_id = groupId.substring(nul + 1);
    conn.attach(self);
    const c = { id: self.id, self, conn, ctrl, sess: null, group: group || { id: groupId, handle, view: self.group, local: 0 },
      closed: true, settled: true, state: null };
    records.set(self, c);
    acquireSession(sessionId, (sess) => {
      c.sess = sess;
      self.sess = sess;
      runExit(c);
      releaseSession(sess);
    }, (newId, ticket) => renewed(c, newId, ticket));
  }

  // A resumable connection's socket dropped (`which` is 'away') or came back ('back'): the
  // controller's function of that name runs, with the connection's `this`. A connection that
  // init() has not accepted, or that has closed, has nobody to tell.
  function turn(c, which) {
    if (c.closed || c.denied || !c.group) return;
    const fn = c.ctrl[which];
    if (!fn) return;
    current = { c, kind: which };
    try {
      fn.call(c.self);
      current = null;
    } catch (e) {
      c.ctrl.console.error(which + '() failed: ' + describe(e));
      current = null;
    }
    reportState(c);
  }

  // The watchdog stopped the task that was running (no JS catch sees that): answer for it.
  // Returns the stopped task's connection record (null for a timer or Promise callback).
  // `framesJson`: the stopped code's stack, [[file, function], ...], innermost first (Guard.java).
  function interrupted(millis, framesJson) {
    const task = current;
    current = null;
    const what = 'ran longer than ' + millis + ' ms and was stopped';
    if (!task) {
      const stopped = unfinished;
      unfinished = null;
      const call = stopped !== null && awaiting.has(stopped) && !stopped.answered ? stopped : stoppedCall(framesJson);
      if (call) {
        // A Promise callback or timer the call set up, or an async function's code after an
        // await (the oldest unanswered call of the function on the stack): it gets TIMEOUT.
        call.answered = true;
        awaiting.delete(call);
        settled(call.c);
        call.c.ctrl.console.error(call.name + '() ' + what + ' (after an await)');
        if (METRICS) counted(call.c.ctrl, call.name, 'TIMEOUT', call.started);
        report(call.c, call.seq, call.hasSeq, 'TIMEOUT', call.name + '() ' + what, true);
        return call.c;
      }
      host.log('runtime', 'error', 'a task ' + what + ' (a timer, a Promise callback or module code)');
      return null;
    }
    const c = task.c;
    const name = task.kind === 'call' ? task.name : task.kind;
    c.ctrl.console.error(name + '() ' + what);
    if (task.kind === 'init') deny(c, CLOSE.INTERNAL_ERROR, 'init() timed out');
    else if (task.kind === 'call') {
      if (METRICS) counted(c.ctrl, name, 'TIMEOUT', task.started);
      report(c, task.seq, task.hasSeq, 'TIMEOUT', name + '() ' + what, true);
    }
    return c;
  }

  // The unanswered call whose function appears on the stopped code's stack, the oldest if several.
  function stoppedCall(framesJson) {
    if (!framesJson || awaiting.size === 0) return null;
    let frames;
    try { frames = JSON.parse(framesJson); } catch (e) { return null; }
    for (const [file, fn] of frames) {
      for (const call of awaiting) {
        if (!call.answered && call.name === fn && call.c.ctrl.file === file && !call.c.closed) return call;
      }
    }
    return null;
  }

  return { load, open, message, turn, closed, interrupted, reaped, restore, moved, callStats, idle, tell, forget, loaded };
})
