// this.sess: one object per session id, shared by every connection of that session.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread; what it
// returns is merged into `lib`, which the files after it get.
(function (host, lib) {
  'use strict';

  const { hostResult } = lib;
  const sessions = new Map();      // session id -> {sess, refs}

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
      hostResult(host.sessionSave(this.id, JSON.stringify(data)));
      this.data = data;
    },
    clear() {
      if (this.id === undefined) return;
      hostResult(host.sessionSave(this.id, null));
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

  function acquireSession(id) {
    if (id === null || id === undefined) return anonymousSession();
    let s = sessions.get(id);
    if (!s) {
      const text = host.sessionLoad(id);
      if (text === null) return anonymousSession();   // expired, or the store failed (logged in Java)
      let data;
      try { data = JSON.parse(text); } catch (e) { data = null; }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) data = {};
      if (!Object.prototype.hasOwnProperty.call(data, 'user_id')) data.user_id = 0;
      const sess = Object.create(SessionPrototype);
      sess.id = id;
      sess.data = data;
      s = { sess, refs: 0 };
      sessions.set(id, s);
    }
    s.refs++;
    return s.sess;
  }

  function releaseSession(sess) {
    const s = sess && sessions.get(sess.id);
    if (s && s.sess === sess && --s.refs === 0) sessions.delete(sess.id);
  }

  return { acquireSession, releaseSession };
})
