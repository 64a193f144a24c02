package dev.hourglass.store.sql;

/** Statements on {@code shards} and {@code cluster_metadata}. */
final class ShardSql {
  static final String SELECT_RANGE_ID = "SELECT range_id FROM shards WHERE shard_id = ?";
  static final String SELECT_SHARD_COUNT = "SELECT shard_count FROM cluster_metadata WHERE id = 1";
  static final String INSERT_SHARD_COUNT = "INSERT INTO cluster_metadata (id, shard_count) VALUES (1, ?) ON CONFLICT (id) DO NOTHING";
  static final String INSERT_SHARD = "INSERT INTO shards (shard_id, range_id, owner) VALUES (?, 0, '') ON CONFLICT (shard_id) DO NOTHING";
  static final String MOVE_RANGE_ID = "UPDATE shards SET range_id = range_id + 1, owner = ? WHERE shard_id = ?";

  private ShardSql() {}
}
