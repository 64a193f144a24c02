-- Several processes on one database (PostgreSQL): each process heartbeats its row in
-- cluster_members; the process holding the shards renews its leases in shard_leases, and another
-- process takes the shards (moving shards.range_id on, which fences the previous holder) only
-- once those leases expired. Leases are a table of their own, not columns of shards: every write
-- batch holds its shards' rows FOR SHARE, which a renewal's UPDATE of the same rows would wait
-- for, behind the load. Times are milliseconds since the epoch on the database's clock, so the
-- processes' clocks need not agree.
CREATE TABLE cluster_members (
  member_id    TEXT COLLATE "C" PRIMARY KEY,
  address      TEXT   NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);

CREATE TABLE shard_leases (
  shard_id   INTEGER PRIMARY KEY,
  owner      TEXT COLLATE "C" NOT NULL,
  range_id   BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
