-- Hourglass schema, PostgreSQL dialect: the twin of db/migration/sqlite/V1 (same tables, keys and
-- indexes; every version exists for both dialects). Times are epoch milliseconds (BIGINT);
-- serialized protobuf and engine state are BYTEA. Text columns use the "C" collation: ids compare
-- and sort byte by byte, as in SQLite, whatever the database's default collation (a linguistic
-- one such as en_US ignores punctuation, which would break id-prefix ranges and id order).

CREATE TABLE cluster_metadata (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  shard_count INTEGER NOT NULL
);

CREATE TABLE shards (
  shard_id INTEGER PRIMARY KEY,
  range_id BIGINT  NOT NULL,
  owner    TEXT COLLATE "C"    NOT NULL
);

CREATE TABLE namespaces (
  id      TEXT COLLATE "C"   PRIMARY KEY,
  name    TEXT COLLATE "C"   NOT NULL UNIQUE,
  info    BYTEA  NOT NULL,
  config  BYTEA  NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE executions (
  namespace_id  TEXT COLLATE "C"    NOT NULL,
  workflow_id   TEXT COLLATE "C"    NOT NULL,
  run_id        TEXT COLLATE "C"    NOT NULL,
  shard_id      INTEGER NOT NULL,
  db_version    BIGINT  NOT NULL,
  status        INTEGER NOT NULL,
  workflow_type TEXT COLLATE "C"    NOT NULL,
  task_queue    TEXT COLLATE "C"    NOT NULL,
  start_time    BIGINT  NOT NULL,
  close_time    BIGINT  NOT NULL,
  next_event_id BIGINT  NOT NULL,
  state         BYTEA   NOT NULL,
  PRIMARY KEY (namespace_id, workflow_id, run_id)
);

CREATE TABLE current_executions (
  namespace_id     TEXT COLLATE "C"    NOT NULL,
  workflow_id      TEXT COLLATE "C"    NOT NULL,
  run_id           TEXT COLLATE "C"    NOT NULL,
  status           INTEGER NOT NULL,
  start_request_id TEXT COLLATE "C"    NOT NULL,
  PRIMARY KEY (namespace_id, workflow_id)
);

CREATE TABLE history_batches (
  namespace_id   TEXT COLLATE "C"   NOT NULL,
  workflow_id    TEXT COLLATE "C"   NOT NULL,
  run_id         TEXT COLLATE "C"   NOT NULL,
  first_event_id BIGINT NOT NULL,
  last_event_id  BIGINT NOT NULL,
  events         BYTEA  NOT NULL,
  PRIMARY KEY (namespace_id, workflow_id, run_id, first_event_id)
);

CREATE TABLE tasks (
  namespace_id       TEXT COLLATE "C"    NOT NULL,
  task_queue         TEXT COLLATE "C"    NOT NULL,
  task_kind          INTEGER NOT NULL,
  task_id            BIGINT  NOT NULL,
  workflow_id        TEXT COLLATE "C"    NOT NULL,
  run_id             TEXT COLLATE "C"    NOT NULL,
  scheduled_event_id BIGINT  NOT NULL,
  create_time        BIGINT  NOT NULL,
  PRIMARY KEY (namespace_id, task_queue, task_kind, task_id)
);

CREATE TABLE timers (
  shard_id     INTEGER NOT NULL,
  timer_id     BIGINT  NOT NULL,
  fire_time    BIGINT  NOT NULL,
  namespace_id TEXT COLLATE "C"    NOT NULL,
  workflow_id  TEXT COLLATE "C"    NOT NULL,
  run_id       TEXT COLLATE "C"    NOT NULL,
  kind         INTEGER NOT NULL,
  event_id     BIGINT  NOT NULL,
  attempt      INTEGER NOT NULL,
  name         TEXT COLLATE "C"    NOT NULL,
  PRIMARY KEY (shard_id, timer_id)
);

-- The timer queue reads each shard's timers in fire-time order, a window at a time.
CREATE INDEX timers_by_fire_time ON timers (shard_id, fire_time, timer_id);

-- Listing by status and start time (visibility reads the executions table for now).
CREATE INDEX executions_by_start_time ON executions (namespace_id, start_time);
