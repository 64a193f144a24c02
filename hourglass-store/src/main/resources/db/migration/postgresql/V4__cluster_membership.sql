-- Several processes on one database (PostgreSQL): each process heartbeats its row in
-- cluster_members; the process holding the shards renews lease_expires_at on every shard row, and
-- another process takes the shards (moving range_id on) only once that lease has expired.
-- Times are milliseconds since the epoch on the database's clock, so processes' clocks need not agree.
CREATE TABLE cluster_members (
  member_id    TEXT COLLATE "C" PRIMARY KEY,
  address      TEXT   NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);

ALTER TABLE shards ADD COLUMN lease_expires_at BIGINT NOT NULL DEFAULT 0;
