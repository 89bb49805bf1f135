'use strict';
/*
 * The bench handler (bench/README.md) on Node.js with the `ws` package: bench/site/bench.ws
 * written by hand, speaking the WorkJS wire format (docs/PROTOCOL.md, Frames).
 *
 *   node --expose-gc bench/peers/ws-server.js --port 0
 *   node --expose-gc bench/peers/ws-server.js --port 0 --db-url postgres://... --db-pool 10
 *
 * WebSocket at ws://127.0.0.1:PORT/bench?g=GROUP; GET /__bench/memory as in common.js.
 *
 * With --db-url (the node-ws-pg server) it also answers dbSayLater, bench.ws's Promise-API
 * database call, with node-postgres (`pg`) on a Pool of --db-pool connections: the same two
 * statements on the same table, which it creates at start-up from bench/site/db/ as WorkJS
 * applies its migrations.
 */
const fs = require('fs');
const path = require('path');
const { WebSocketServer, WebSocket } = require('ws');
const { portFromArgs, createHttpServer, listen } = require('./common');

const MAX_MESSAGE_BYTES = 1024 * 1024; // WorkJS's default maxMessageBytes
const MAX_SEQ_LENGTH = 64;
const OPEN = WebSocket.OPEN;
const TEXT = { binary: false };

/** group name → its open connections, as WorkJS keeps them for this.emit(). */
const groups = new Map();

// bench.ws's dbSay/dbSayLater, with pg's $n placeholders for its :name binds
const SAY = 'insert into messages (room, name, text) values ($1, $2, $3) returning message_id';
const LAST = 'select message_id, name, text, created from messages where room = $1 order by message_id desc limit 10';
const MIGRATIONS = path.join(__dirname, '..', 'site', 'db');

/** The node-postgres Pool when --db-url is given, else null. */
const db = openDatabase(process.argv.slice(2));

const server = createHttpServer();
const wss = new WebSocketServer({
  noServer: true,          // the upgrade listener below answers 404 for paths other than /bench
  clientTracking: false,   // the groups already hold every connection
  perMessageDeflate: false,
  maxPayload: MAX_MESSAGE_BYTES,
});

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/bench') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => connected(ws, url.searchParams.get('g') || 'all'));
});

function connected(ws, group) {
  const state = { calls: 0 };   // bench.ws init(): this.calls = 0
  let members = groups.get(group);
  if (members === undefined) groups.set(group, (members = new Set()));
  members.add(ws);

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'binary frames are not supported: send JSON text');
      return;
    }
    let frame;
    try {
      frame = JSON.parse(data);   // data is a Buffer; JSON.parse reads it as UTF-8 text
    } catch (e) {
      ws.send(errorFrame('BAD_JSON', `frame is not valid JSON: ${e.message}`));
      return;
    }
    if (!Array.isArray(frame) || (frame.length !== 2 && frame.length !== 3)
        || typeof frame[0] !== 'string') {
      ws.send(errorFrame('BAD_FRAME', 'a frame is [name, param] or [name, param, seq]'));
      return;
    }
    const seq = frame[2];
    if (frame.length === 3 && !(typeof seq === 'number' ? Number.isFinite(seq)
        : typeof seq === 'string' && seq.length <= MAX_SEQ_LENGTH)) {
      ws.send(errorFrame('BAD_FRAME', 'seq must be a number or a string of at most 64 characters'));
      return;
    }
    const param = frame[1];

    switch (frame[0]) {
      case 'echo':
        state.calls++;
        if (seq !== undefined) ws.send(JSON.stringify(['_rpc', param, seq]));
        break;
      case 'emit': {
        // Encoded once, to bytes: ws would otherwise re-encode a string to UTF-8 per member.
        const event = Buffer.from(JSON.stringify(['ev', param]));
        for (const member of members) {
          if (member.readyState === OPEN) member.send(event, TEXT);
        }
        if (seq !== undefined) ws.send(JSON.stringify(['_rpc', null, seq]));
        break;
      }
      case 'dbSayLater':
        if (db !== null) {
          dbSayLater(group, param).then(
            (rows) => answer(ws, seq, rows),
            (e) => failed(ws, seq, 'CALL_FAILED', e.message));
          break;
        }
        noSuchFunction(ws, frame[0], seq);
        break;
      default:
        noSuchFunction(ws, frame[0], seq);
    }
  });

  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0 && groups.get(group) === members) groups.delete(group);
  });
  // A socket error is followed by 'close'; the listener only keeps it from being thrown.
  ws.on('error', () => {});
}

/** bench.ws's dbSayLater: store a message in the room, then read the room's last 10 back. */
async function dbSayLater(room, p) {
  await db.query(SAY, [room, p.name, p.text]);
  const result = await db.query(LAST, [room]);
  return result.rows;
}

function answer(ws, seq, value) {
  if (seq !== undefined && ws.readyState === OPEN) ws.send(JSON.stringify(['_rpc', value === undefined ? null : value, seq]));
}

function failed(ws, seq, code, message) {
  if (ws.readyState !== OPEN) return;
  ws.send(seq !== undefined ? JSON.stringify(['_rpc', null, seq, { code, message }]) : errorFrame(code, message));
}

function noSuchFunction(ws, name, seq) {
  failed(ws, seq, 'NO_SUCH_FUNCTION', `no callable function ${JSON.stringify(name)}`);
}

function errorFrame(code, message) {
  return JSON.stringify(['_error', { code, message }]);
}

// --db-url URL and --db-pool N (default 10, WorkJS's db_poolsize), or null without --db-url.
function openDatabase(argv) {
  let url = null;
  let size = 10;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db-url') url = argv[++i];
    else if (argv[i] === '--db-pool') size = Number(argv[++i]);
  }
  if (url === null) return null;
  if (!Number.isInteger(size) || size < 1) {
    console.error('bad --db-pool: give a whole number of connections, at least 1');
    process.exit(2);
  }
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: url, max: size });
  pool.on('error', (e) => console.error(`database: ${e.message}`));   // an idle client lost its connection
  return pool;
}

// bench/site/db/V<n>__*.sql in version order, each as one simple query, as WorkJS's start-up applies them.
async function migrate() {
  const version = (file) => Number(/^V(\d+)__/.exec(file)[1]);
  const files = fs.readdirSync(MIGRATIONS).filter((f) => /^V\d+__.*\.sql$/.test(f)).sort((a, b) => version(a) - version(b));
  for (const file of files) await db.query(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
}

function start() {
  listen(server, portFromArgs(), () => {
    for (const members of groups.values()) {
      for (const ws of members) ws.close(1001, 'server is stopping');
    }
    if (db !== null) db.end().catch(() => {});
  });
}

if (db === null) {
  start();
} else {
  migrate().then(start, (e) => {
    console.error(`database: cannot apply ${MIGRATIONS}: ${e.message}`);
    process.exit(1);
  });
}
