'use strict';
/*
 * The bench handler (bench/README.md) on Node.js with the `ws` package: bench/site/bench.ws
 * written by hand, speaking the WorkJS wire format (docs/PROTOCOL.md, Frames).
 *
 *   node --expose-gc bench/peers/ws-server.js --port 0
 *
 * WebSocket at ws://127.0.0.1:PORT/bench?g=GROUP; GET /__bench/memory as in common.js.
 */
const { WebSocketServer, WebSocket } = require('ws');
const { portFromArgs, createHttpServer, listen } = require('./common');

const MAX_MESSAGE_BYTES = 1024 * 1024; // WorkJS's default maxMessageBytes
const MAX_SEQ_LENGTH = 64;
const OPEN = WebSocket.OPEN;
const TEXT = { binary: false };

/** group name → its open connections, as WorkJS keeps them for this.emit(). */
const groups = new Map();

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
      default: {
        const message = `no callable function ${JSON.stringify(frame[0])}`;
        if (seq !== undefined) {
          ws.send(JSON.stringify(['_rpc', null, seq, { code: 'NO_SUCH_FUNCTION', message }]));
        } else {
          ws.send(errorFrame('NO_SUCH_FUNCTION', message));
        }
      }
    }
  });

  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0 && groups.get(group) === members) groups.delete(group);
  });
  // A socket error is followed by 'close'; the listener only keeps it from being thrown.
  ws.on('error', () => {});
}

function errorFrame(code, message) {
  return JSON.stringify(['_error', { code, message }]);
}

listen(server, portFromArgs(), () => {
  for (const members of groups.values()) {
    for (const ws of members) ws.close(1001, 'server is stopping');
  }
});
