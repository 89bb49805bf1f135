'use strict';
/*
 * What both Node peers share, so they are started, measured and stopped the same way
 * (bench/README.md): the port argument, the plain HTTP answers, the "listening on" line and
 * a clean exit on SIGTERM/SIGINT. The bench handlers themselves live in ws-server.js and
 * socketio-server.js.
 */
const http = require('http');

const HOST = '127.0.0.1';

// --port N or --port=N, else the PORT environment variable, else 0 (a free port).
function portFromArgs(argv = process.argv.slice(2), env = process.env) {
  let value = env.PORT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') value = argv[++i];
    else if (argv[i].startsWith('--port=')) value = argv[i].slice('--port='.length);
  }
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad port ${JSON.stringify(value)}: give --port N with N in 0..65535`);
    process.exit(2);
  }
  return port;
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

// Plain HTTP: GET /__bench/memory, 404 for everything else. The socket.io peer's Engine.IO
// takes /socket.io/ requests before this handler sees them.
function handleRequest(req, res) {
  const path = req.url.split('?', 1)[0];
  if (path !== '/__bench/memory') {
    sendJson(res, 404, { error: `no such path: ${path}` });
  } else if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    sendJson(res, 405, { error: 'use GET' });
  } else if (typeof global.gc !== 'function') {
    sendJson(res, 500, { error: 'global.gc() is not exposed: run node with --expose-gc' });
  } else {
    // Twice: the first full GC can leave garbage that only a finaliser pass released.
    global.gc();
    global.gc();
    const m = process.memoryUsage();
    sendJson(res, 200, { heapUsed: m.heapUsed, rss: m.rss });
  }
}

function createHttpServer() {
  return http.createServer(handleRequest);
}

/*
 * Listens on 127.0.0.1 only, prints the line bench/run waits for, and on SIGTERM/SIGINT
 * calls stop() (which closes the WebSockets) then exits once the server is closed. A client
 * that never finishes its close handshake cannot hold the exit for more than two seconds.
 */
function listen(server, port, stop) {
  server.listen(port, HOST, () => {
    process.stdout.write(`listening on http://${HOST}:${server.address().port}\n`);
  });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref();
    stop();
    server.close(() => process.exit(0)); // also drops idle keep-alive HTTP connections
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

module.exports = { portFromArgs, createHttpServer, listen };
