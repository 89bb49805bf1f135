-- The chat's history: applied once, at the first start (Flyway's naming: V1__, V2__, ...).
-- Plain SQL that runs unchanged on the embedded database and on PostgreSQL.
CREATE TABLE messages (
  message_id  SERIAL PRIMARY KEY,
  room        VARCHAR(40) NOT NULL,
  sender      VARCHAR(40) NOT NULL,
  nick        VARCHAR(24) NOT NULL,
  color       VARCHAR(40) NOT NULL,
  text        VARCHAR(500) NOT NULL,
  created     TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX messages_room ON messages (room, message_id);
