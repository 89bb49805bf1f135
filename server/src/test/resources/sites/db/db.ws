// Runs the SQL a test sends, through every form of this.db. A real site never takes SQL from a
// client: this one exists to test what the database refuses when a site does so by mistake.
function init() { return 'db'; }

function rows(p) { return this.db.rows(p.sql, p.params); }
function query(p) { return this.db.query(p.sql, p.params); }
function one(p) { return this.db.one(p.sql, p.params); }
function only(p) { return this.db.only(p.sql, p.params); }
function each(p) {
  const seen = [];
  const n = this.db.each(p.sql, p.params, (row) => seen.push(row));
  return { n, seen };
}
function rowsLater(p) { return this.db.async.rows(p.sql, p.params); }
function oneLater(p) { return this.db.async.one(p.sql, p.params); }
function onlyLater(p) { return this.db.async.only(p.sql, p.params); }
function fromModule() { return require('workjs').db.only('select count(*) from notes'); }

// The Error a query becomes, as plain fields.
function failure(p) {
  try {
    this.db.rows(p.sql, p.params);
    return null;
  } catch (e) {
    return { code: e.code, sqlState: e.sqlState === undefined ? null : e.sqlState, message: e.message };
  }
}
async function failureLater(p) {
  try {
    await this.db.async.rows(p.sql, p.params);
    return null;
  } catch (e) {
    return { code: e.code, sqlState: e.sqlState === undefined ? null : e.sqlState, message: e.message };
  }
}

// What JavaScript holds after a round trip of each kind of value through bound parameters.
function types(p) {
  const row = this.db.one(
    'insert into kinds (n, big, real_n, dec, t, flag, at, on_day, doc, raw) ' +
    'values (:n, :big, :real_n, :dec, :t, :flag, :at, :on_day, :doc, :raw) ' +
    'returning n, big, real_n, dec, t, flag, at, on_day, doc, raw',
    { n: 42, big: p.big, real_n: 1.5, dec: p.dec, t: 'text', flag: true, at: new Date(p.at), on_day: p.day,
      doc: { a: [1, 'two', null], b: { c: true } }, raw: new Uint8Array([0, 1, 254, 255]) });
  return {
    row,
    kinds: Object.fromEntries(Object.entries(row).map(([k, v]) =>
      [k, v === null ? 'null' : v instanceof Date ? 'Date' : v instanceof Uint8Array ? 'Uint8Array' : Array.isArray(v) ? 'array' : typeof v])),
    at: row.at instanceof Date ? row.at.toISOString() : null,
    raw: row.raw instanceof Uint8Array ? Array.from(row.raw) : null,
  };
}

function commit(p) {
  return this.db.transaction((tx) => {
    tx.rows('insert into notes (owner, text) values (:owner, :text)', p);
    return tx.only('select count(*) from notes where owner = :owner', p);
  });
}
function rollback(p) {
  try {
    this.db.transaction((tx) => {
      tx.rows('insert into notes (owner, text) values (:owner, :text)', p);
      throw new Error('changed my mind');
    });
  } catch (e) {
    return e.message;
  }
}
async function rollbackLater(p) {
  try {
    await this.db.async.transaction(async (tx) => {
      await tx.async.rows('insert into notes (owner, text) values (:owner, :text)', p);
      tx.rows('insert into notes (owner, text) values (:owner, :text)', p);
      throw new Error('changed my mind later');
    });
  } catch (e) {
    return e.message;
  }
}
async function commitLater(p) {
  return this.db.async.transaction(async (tx) => {
    await tx.async.rows('insert into notes (owner, text) values (:owner, :text)', p);
    return tx.async.only('select count(*) from notes where owner = :owner', p);
  });
}

// A transaction that stays open for p.ms before it commits.
async function slowTransaction(p) {
  try {
    await this.db.async.transaction(async (tx) => {
      tx.rows('insert into notes (owner, text) values (:owner, :text)', p);
      await new Promise((resolve) => setTimeout(resolve, p.ms));
    });
    return 'committed';
  } catch (e) {
    return e.code + ': ' + e.message;
  }
}

// A commit while the one pool thread is taken by a query that waits for the one connection,
// which this transaction holds: the commit must not wait behind that query.
async function commitWhilePoolIsBusy(p) {
  let waiting;
  const result = await this.db.async.transaction(async (tx) => {
    await tx.async.rows('insert into notes (owner, text) values (:owner, :text)', p);
    waiting = this.db.async.only('select count(*) from notes where owner = :owner', p);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return 'committed';
  });
  return { result, count: await waiting };
}
