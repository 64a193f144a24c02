package dev.hourglass.store.sql;

/** Statements on {@code shards}, {@code shard_leases}, {@code cluster_metadata} and {@code cluster_members}. */
final class ShardSql {
  static final String SELECT_RANGE_ID = "SELECT range_id FROM shards WHERE shard_id = ?";
  static final String SELECT_SHARD_COUNT = "SELECT shard_count FROM cluster_metadata WHERE id = 1";
  static final String INSERT_SHARD_COUNT = "INSERT INTO cluster_metadata (id, shard_count) VALUES (1, ?) ON CONFLICT (id) DO NOTHING";
  static final String INSERT_SHARD = "INSERT INTO shards (shard_id, range_id, owner) VALUES (?, 0, '') ON CONFLICT (shard_id) DO NOTHING";
  static final String MOVE_RANGE_ID = "UPDATE shards SET range_id = range_id + 1, owner = ? WHERE shard_id = ?";
  static final String INSERT_LEASE =
      "INSERT INTO shard_leases (shard_id, owner, range_id, expires_at) VALUES (?, '', 0, 0) ON CONFLICT (shard_id) DO NOTHING";
  static final String RELEASE_LEASE = "UPDATE shard_leases SET expires_at = 0 WHERE shard_id = ? AND owner = ? AND range_id = ?";
  static final String DELETE_MEMBER = "DELETE FROM cluster_members WHERE member_id = ?";

  /** The statements that read the database's clock, in one dialect. */
  record Clocked(String selectLeases, String selectLeasesForUpdate, String takeLease, String renewLease, String heartbeat,
      String forgetMembers, String selectMembers) {
    static Clocked of(SqlDialect dialect) {
      String now = dialect.nowMillis();
      String selectLeases = "SELECT shard_id, owner, range_id, expires_at, " + now + " FROM shard_leases ORDER BY shard_id";
      return new Clocked(
          selectLeases,
          selectLeases + dialect.forUpdate(),
          "UPDATE shard_leases SET owner = ?, range_id = ?, expires_at = " + now + " + ? WHERE shard_id = ?",
          "UPDATE shard_leases SET expires_at = " + now + " + ? WHERE shard_id = ? AND owner = ? AND range_id = ?",
          "INSERT INTO cluster_members (member_id, address, started_at, heartbeat_at) VALUES (?, ?, " + now + ", " + now + ") "
              + "ON CONFLICT (member_id) DO UPDATE SET address = excluded.address, heartbeat_at = excluded.heartbeat_at",
          "DELETE FROM cluster_members WHERE heartbeat_at < " + now + " - ?",
          "SELECT member_id, address, started_at, heartbeat_at FROM cluster_members ORDER BY started_at, member_id");
    }
  }

  private ShardSql() {}
}
