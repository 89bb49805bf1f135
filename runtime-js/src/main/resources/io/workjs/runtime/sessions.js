// this.sess: one object per session id, shared by every connection of that session.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread; what it
// returns is merged into `lib`, which the files after it get. The store is Java's
// (host.sessions, over io.workjs.runtime.SessionData): loading is asynchronous, and init()
// runs once the session is there; set() and clear() write through before they return.
(function (host, lib) {
  'use strict';

  const store = host.sessions;
  const sessions = new Map();      // session id -> {sess, refs, waiting}

  // One object per session id, shared by every connection of that session, so a
  // set() through one is seen by all; dropped when the last of them closes. set() and clear()
  // write through to the store (durable when they return); the data crosses as JSON text.
  const SessionPrototype = {
    get(key) {
      const data = this.data;
      if (!Object.prototype.hasOwnProperty.call(data, key)) return undefined;
      return copy(data[key]);
    },
    set(key, value) {
      if (typeof key !== 'string') throw new TypeError('session key must be a string, got ' + typeof key);
      let text;
      try {
        text = JSON.stringify(value);
      } catch (e) {
        throw new TypeError('session value for "' + key + '" is not JSON: ' + e.message);
      }
      if (text === undefined) throw new TypeError('session value for "' + key + '" is not JSON: ' + typeof value);
      if (this.id === undefined) throw noSession();
      const data = {};
      for (const k of Object.keys(this.data)) define(data, k, this.data[k]);
      define(data, key, JSON.parse(text));
      store.save(this.id, JSON.stringify(data));   // throws an Error with code SESSION_FAILED
      this.data = data;
    },
    clear() {
      if (this.id === undefined) return;
      store.save(this.id, null);
      this.data = { user_id: 0 };
    },
  };

  // defineProperty, not assignment: a key named __proto__ stays a plain key.
  function define(object, key, value) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }

  function noSession() {
    const e = new Error('no session: this connection has no valid session cookie (give the page route the "session" flag)');
    e.code = 'NO_SESSION';
    return e;
  }

  function copy(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function anonymousSession() {
    const sess = Object.create(SessionPrototype);
    sess.data = { user_id: 0 };
    return sess;
  }

  // Calls then(sess) exactly once: at once for no session or one already loaded, else when the
  // store has answered. Every session handed out this way is given back with releaseSession.
  function acquireSession(id, then) {
    if (id === null || id === undefined) return then(anonymousSession());
    let s = sessions.get(id);
    if (s) {
      s.refs++;
      if (s.sess) then(s.sess);
      else s.waiting.push(then);
      return;
    }
    s = { sess: null, refs: 1, waiting: [then] };
    sessions.set(id, s);
    // Failures are logged in Java; the visitor gets the anonymous session, never someone else's data.
    store.load(id, (text) => loaded(id, s, text), () => loaded(id, s, null));
  }

  function loaded(id, s, text) {
    const waiting = s.waiting;
    s.waiting = null;
    if (text === null) {
      sessions.delete(id);   // expired, or the store failed
      for (const then of waiting) then(anonymousSession());
      return;
    }
    let data;
    try { data = JSON.parse(text); } catch (e) { data = null; }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) data = {};
    if (!Object.prototype.hasOwnProperty.call(data, 'user_id')) data.user_id = 0;
    const sess = Object.create(SessionPrototype);
    sess.id = id;
    sess.data = data;
    s.sess = sess;
    for (const then of waiting) then(sess);
  }

  // A write through another node (a cluster's): an open session here shows it, as a set() through
  // another connection of this node would.
  store.watch((id, text) => {
    const s = sessions.get(id);
    if (!s || !s.sess) return;
    let data = null;
    if (text !== null && text !== undefined) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) data = {};
    if (!Object.prototype.hasOwnProperty.call(data, 'user_id')) data.user_id = 0;
    s.sess.data = data;
  });

  function releaseSession(sess) {
    const s = sess && sessions.get(sess.id);
    if (s && s.sess === sess && --s.refs === 0) sessions.delete(sess.id);
  }

  return { acquireSession, releaseSession };
})
