'use strict';
/*
 * The bench handler (bench/README.md) on socket.io 4: acks for echo, a room per group for
 * emit, WebSocket transport only.
 *
 *   node --expose-gc bench/peers/socketio-server.js --port 0
 *
 * Clients connect to ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket&g=GROUP and
 * speak Engine.IO v4 / Socket.IO v5 packets as text frames:
 *   < 0{"sid":...,"pingInterval":25000,"pingTimeout":20000,...}   Engine.IO open
 *   > 40                          < 40{"sid":...}                  join the main namespace
 *   > 42SEQ["echo",P]             < 43SEQ[P]                       echo with an ack
 *   > 42["emit",P]                < 42["ev",P]  (every room member, the sender included)
 *   > 42SEQ["emit",P]             < 42["ev",P] then 43SEQ[null]
 * NOTE for load generators: every pingInterval (25 s) the server sends "2" and the client must
 * answer "3" within pingTimeout (20 s), or the server drops the connection. Both are
 * socket.io's defaults, kept because they are what users get (WorkJS also pings every 25 s).
 */
const { Server } = require('socket.io');
const { portFromArgs, createHttpServer, listen } = require('./common');

const MAX_MESSAGE_BYTES = 1024 * 1024; // WorkJS's default maxMessageBytes

// The bench handler on a socket.io server attached to `server`; `options` adds to ours (the
// cluster peer, socketio-cluster-server.js, gives its Redis adapter here).
function createBenchIo(server, options = {}) {
  const io = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    ...options,
  });

  io.on('connection', (socket) => {
    socket.data.calls = 0;   // bench.ws init(): this.calls = 0
    let group = socket.handshake.query.g;
    if (Array.isArray(group)) group = group[0];   // g=a&g=b: the first, as WorkJS takes it
    const room = group || 'all';
    socket.join(room);   // socket.io leaves all rooms on disconnect

    socket.on('echo', (p, ack) => {
      socket.data.calls++;
      if (typeof ack === 'function') ack(p);
    });

    socket.on('emit', (p, ack) => {
      io.to(room).emit('ev', p);   // the adapter encodes the packet once for the whole room
      if (typeof ack === 'function') ack(null);
    });
  });
  return io;
}

// Not io.close(): it also closes the HTTP server, which listen() does. Sockets first (they get
// a disconnect packet), then the engine, which holds connections that never joined "/". Only
// this node's sockets: with the Redis adapter, io.disconnectSockets() reaches every node.
function stopBenchIo(io) {
  io.local.disconnectSockets(true);
  io.engine.close();
}

module.exports = { createBenchIo, stopBenchIo };

if (require.main === module) {
  const server = createHttpServer();
  const io = createBenchIo(server);
  listen(server, portFromArgs(), () => stopBenchIo(io));
}
