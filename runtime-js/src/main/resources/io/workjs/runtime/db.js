// this.db (and require('workjs').db): SQL as WorkJS had it, with :name bind variables.
// Evaluated by Sandbox.java after globals.js, in one context on the loop thread; what it
// returns is merged into `lib`. Java does the work (host.db, io.workjs.runtime.internal.
// JsDatabase): the plain functions run on the loop and return their result, as in WorkJS; the
// same functions under `async` run on the database pool and return Promises. Rows arrive as JSON
// text, parsed here in one go; timestamps become Dates and binary Uint8Arrays (docs/DATABASE.md).
(function (host, lib) {
  'use strict';

  const native = host.db;

  // Objects cannot cross to Java as they are: JSON values travel as their text, binary as hex.
  function bindable(params) {
    if (params === undefined || params === null) return null;
    if (typeof params !== 'object') throw new TypeError('query params must be an object of :name values, got ' + typeof params);
    let out = params;
    for (const key of Object.keys(params)) {
      const v = params[key];
      if (v === null || typeof v !== 'object' || v instanceof Date) continue;
      if (out === params) out = Object.assign({}, params);
      if (v instanceof ArrayBuffer) out[key] = { $bytes: toHex(new Uint8Array(v)) };
      else if (ArrayBuffer.isView(v)) out[key] = { $bytes: toHex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
      else out[key] = { $json: JSON.stringify(v) };
    }
    return out;
  }

  function toHex(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }

  function fromHex(hex) {
    const bytes = new Uint8Array(hex.length >> 1);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return bytes;
  }

  // {rows, first, dates, bytes} from JsDatabase, with Dates and Uint8Arrays revived.
  function result(json) {
    const r = JSON.parse(json);
    if (r.dates) revive(r.rows, r.dates, (v) => new Date(v));
    if (r.bytes) revive(r.rows, r.bytes, fromHex);
    return r;
  }

  function revive(rows, columns, make) {
    for (const row of rows) {
      for (const c of columns) if (typeof row[c] === 'string') row[c] = make(row[c]);
    }
  }

  const PICK = {
    ROWS: (r) => r.rows,
    ONE: (r) => (r.rows.length > 0 ? r.rows[0] : null),
    ONLY: (r) => (r.rows.length > 0 ? r.rows[0][r.first] : null),
  };

  function sqlText(sql) {
    if (typeof sql !== 'string') throw new TypeError('SQL must be a string, got ' + typeof sql);
    return sql;
  }

  // The API, on its own connections (tx 0) or on transaction `tx`'s one connection.
  function api(tx) {
    const now = (mode) => (sql, params) => PICK[mode](result(native.run(sqlText(sql), bindable(params), mode, tx)));
    const later = (mode) => (sql, params) => {
      let start;
      try {
        start = native.start(sqlText(sql), bindable(params), mode, tx);
      } catch (e) {
        return Promise.reject(e);
      }
      return start.then((json) => PICK[mode](result(json)));
    };
    const db = {
      query: now('ROWS'),
      rows: now('ROWS'),
      one: now('ONE'),
      only: now('ONLY'),
      each(sql, params, fn) {
        if (typeof params === 'function') { fn = params; params = undefined; }
        if (typeof fn !== 'function') throw new TypeError('each(sql, params, fn) needs a function');
        const rows = db.rows(sql, params);
        for (const row of rows) fn(row);
        return rows.length;
      },
      async: {
        query: later('ROWS'),
        rows: later('ROWS'),
        one: later('ONE'),
        only: later('ONLY'),
        async each(sql, params, fn) {
          if (typeof params === 'function') { fn = params; params = undefined; }
          if (typeof fn !== 'function') throw new TypeError('each(sql, params, fn) needs a function');
          const rows = await later('ROWS')(sql, params);
          for (const row of rows) await fn(row);
          return rows.length;
        },
      },
    };
    if (tx === 0) {
      db.transaction = transaction;
      db.async.transaction = transactionLater;
    }
    Object.freeze(db.async);
    return Object.freeze(db);
  }

  // Commit when fn returns (or its Promise resolves), roll back when it throws (or rejects).
  // The connection is taken on the loop; a Promise's commit runs on the pool.
  function transaction(fn) {
    if (typeof fn !== 'function') throw new TypeError('transaction(fn) needs a function');
    const tx = native.begin();
    let value;
    try {
      value = fn(api(tx));
    } catch (e) {
      rollbackQuietly(() => native.end(tx, false));
      throw e;
    }
    if (value && typeof value.then === 'function') return settle(tx, Promise.resolve(value));
    native.end(tx, true);
    return value;
  }

  // The same with the connection taken on the pool: always a Promise.
  function transactionLater(fn) {
    if (typeof fn !== 'function') return Promise.reject(new TypeError('transaction(fn) needs a function'));
    return native.beginLater().then((tx) => {
      let value;
      try {
        value = fn(api(tx));
      } catch (e) {
        value = Promise.reject(e);
      }
      return settle(tx, Promise.resolve(value));
    });
  }

  function settle(tx, promise) {
    return promise.then(
      (v) => native.endLater(tx, true).then(() => v),
      (e) => native.endLater(tx, false).then(() => { throw e; }, () => { throw e; }));
  }

  function rollbackQuietly(rollback) {
    try {
      rollback();
    } catch (ignored) {
      // the caller's error is the one to report
    }
  }

  return { db: api(0) };
})
