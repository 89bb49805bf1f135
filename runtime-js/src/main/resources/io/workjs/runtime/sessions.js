// this.sess: the visitor's session. Evaluated by Sandbox.java before runtime.js, in one context on
// the loop thread; what it returns is merged into `lib`, which the files after it get. The store
// is Java's (host.sessions, over io.workjs.runtime.SessionData): loading is asynchronous, and
// init() runs once the session is there; set(), clear() and regenerate() write through before
// they return.
(function (host, lib) {
  'use strict';

  const store = host.sessions;
  // One entry per session id, {id, data, refs, waiting}, shared by every connection of that
  // session, so that a set() through one is seen by all; dropped when the last of them lets go.
  const entries = new Map();
  // Each connection's this.sess is a view of its own onto an entry: regenerate() moves that one
  // connection to the new id and leaves the others (someone who planted the old id) behind.
  const VIEW = Symbol('session view');

  const SessionPrototype = {
    get id() { return this[VIEW].entry.id; },
    get data() { return this[VIEW].entry.data; },
    set data(value) { this[VIEW].entry.data = value; },
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
      const entry = this[VIEW].entry;
      if (entry.id === undefined) throw noSession();
      const data = {};
      for (const k of Object.keys(entry.data)) define(data, k, entry.data[k]);
      define(data, key, JSON.parse(text));
      store.save(entry.id, JSON.stringify(data));   // throws an Error with code SESSION_FAILED
      entry.data = data;
    },
    clear() {
      const entry = this[VIEW].entry;
      if (entry.id === undefined) return;
      store.save(entry.id, null);
      entry.data = { user_id: 0 };
    },
    // A new id for this connection's session, with its data; the old id is forgotten. The client
    // is sent a one-time ticket for the new cookie (runtime.js, `renewed`).
    regenerate() {
      const view = this[VIEW];
      const old = view.entry;
      if (old.id === undefined) throw noSession();
      const answer = store.renew(old.id, JSON.stringify(old.data));   // throws an Error with code SESSION_FAILED
      const space = answer.indexOf(' ');
      const entry = { id: answer.substring(0, space), data: old.data, refs: 1, waiting: null };
      entries.set(entry.id, entry);
      // The old id has no data any more: whoever else holds it sees an empty session, as after clear().
      old.data = { user_id: 0 };
      letGo(old);
      view.entry = entry;
      view.renewed(entry.id, answer.substring(space + 1));
    },
    toJSON() {
      return { id: this.id, data: this.data };
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

  function view(entry, renewed) {
    const sess = Object.create(SessionPrototype);
    Object.defineProperty(sess, VIEW, { value: { entry, renewed } });
    return sess;
  }

  function anonymous(renewed) {
    return view({ id: undefined, data: { user_id: 0 }, refs: 0, waiting: null }, renewed);
  }

  // Calls then(sess) exactly once: at once for no session or one already loaded, else when the
  // store has answered. renewed(id, ticket) is called when regenerate() gave this connection a
  // new session id. Every session handed out this way is given back with releaseSession.
  function acquireSession(id, then, renewed) {
    if (id === null || id === undefined) return then(anonymous(renewed));
    let entry = entries.get(id);
    if (entry) {
      entry.refs++;
      if (entry.waiting) entry.waiting.push([then, renewed]);
      else then(view(entry, renewed));
      return;
    }
    entry = { id, data: null, refs: 1, waiting: [[then, renewed]] };
    entries.set(id, entry);
    // Failures are logged in Java; the visitor gets the anonymous session, never someone else's data.
    store.load(id, (text) => loaded(entry, text), () => loaded(entry, null));
  }

  function loaded(entry, text) {
    const waiting = entry.waiting;
    entry.waiting = null;
    if (text === null) {
      if (entries.get(entry.id) === entry) entries.delete(entry.id);   // expired, or the store failed
      for (const [then, renewed] of waiting) then(anonymous(renewed));
      return;
    }
    entry.data = parse(text);
    for (const [then, renewed] of waiting) then(view(entry, renewed));
  }

  function parse(text) {
    let data = null;
    if (text !== null && text !== undefined) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) data = {};
    if (!Object.prototype.hasOwnProperty.call(data, 'user_id')) data.user_id = 0;
    return data;
  }

  // A write through another node (a cluster's): an open session here shows it, as a set() through
  // another connection of this node would.
  store.watch((id, text) => {
    const entry = entries.get(id);
    if (entry && !entry.waiting) entry.data = parse(text);
  });

  function letGo(entry) {
    if (entry.id !== undefined && --entry.refs === 0 && entries.get(entry.id) === entry) entries.delete(entry.id);
  }

  function releaseSession(sess) {
    if (sess) letGo(sess[VIEW].entry);
  }

  return { acquireSession, releaseSession };
})
