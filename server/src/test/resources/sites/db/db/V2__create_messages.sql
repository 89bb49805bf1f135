-- The workshop chat's table.
CREATE TABLE messages (
  message_id  SERIAL PRIMARY KEY,
  chat_id     VARCHAR(100) NOT NULL,
  name        VARCHAR(100) NOT NULL,
  text        VARCHAR(2000) NOT NULL,
  created     TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX messages_chat ON messages (chat_id, message_id);
