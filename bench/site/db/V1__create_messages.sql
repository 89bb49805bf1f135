-- The db scenario's table (bench/README.md): each call stores a message in its room and reads
-- the room's last 10 back. Applied by WorkJS at start-up (embedded database or PostgreSQL) and
-- by the node-ws-pg peer (bench/peers/ws-server.js), so every server queries the same table.
CREATE TABLE messages (
  message_id  SERIAL PRIMARY KEY,
  room        VARCHAR(40),
  name        VARCHAR(40),
  text        VARCHAR(200),
  created     TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX messages_room ON messages (room, message_id);
