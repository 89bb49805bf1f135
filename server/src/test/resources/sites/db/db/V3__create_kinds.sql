-- One column of each kind that docs/DATABASE.md maps, on both databases.
CREATE TABLE kinds (
  n       INTEGER,
  big     BIGINT,
  real_n  DOUBLE PRECISION,
  dec     NUMERIC(40, 10),
  t       VARCHAR(100),
  flag    BOOLEAN,
  at      TIMESTAMP,
  on_day  DATE,
  doc     JSON,
  raw     BYTEA
);
