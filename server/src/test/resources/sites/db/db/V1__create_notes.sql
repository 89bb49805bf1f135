-- Ordinary SQL that runs unchanged on PostgreSQL and the embedded database.
CREATE TABLE notes (
  note_id   SERIAL PRIMARY KEY,
  owner     VARCHAR(100) NOT NULL,
  text      VARCHAR(1000),
  stars     INTEGER DEFAULT 0,
  big       BIGINT,
  done      BOOLEAN DEFAULT FALSE,
  created   TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
