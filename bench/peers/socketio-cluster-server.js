'use strict';
/*
 * The socket.io peer (socketio-server.js) as one node of a cluster: the same bench handler,
 * with @socket.io/redis-adapter on the Redis every node is given, so that io.to(room).emit
 * reaches the room's members on every node. The adapter publishes each broadcast once to
 * Redis and hands it to this node's own members at once; the other nodes get it from Redis.
 * Echo stays on the node (an ack involves no other node).
 *
 *   node --expose-gc bench/peers/socketio-cluster-server.js --port 0 --redis redis://127.0.0.1:6379
 *
 * It listens once both of its Redis connections (one publishes, one subscribes) are up, and
 * exits with status 1 when they cannot be.
 */
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-adapter');
const { portFromArgs, createHttpServer, listen } = require('./common');
const { createBenchIo, stopBenchIo } = require('./socketio-server');

// --redis URL or --redis=URL; there is no default, a node alone is socketio-server.js.
function redisFromArgs(argv = process.argv.slice(2)) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--redis' && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith('--redis=')) return argv[i].slice('--redis='.length);
  }
  console.error('give --redis URL, e.g. --redis redis://127.0.0.1:6379');
  process.exit(2);
}

async function main() {
  const url = redisFromArgs();
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // without a listener node-redis turns a dropped connection into an uncaught exception
  for (const client of [pub, sub]) client.on('error', (e) => console.error(`redis at ${url}: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);

  const server = createHttpServer();
  const io = createBenchIo(server, { adapter: createAdapter(pub, sub) });
  listen(server, portFromArgs(), () => {
    stopBenchIo(io);
    pub.disconnect().catch(() => {});
    sub.disconnect().catch(() => {});
  });
}

main().catch((e) => {
  console.error(`cannot start: ${e.message}`);
  process.exit(1);
});
