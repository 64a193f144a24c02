package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ShardOwnershipLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What write operations see of the writer connection: prepared statements compiled once and kept
 * for the life of the connection (SQLite compiles every statement text anew otherwise), and the
 * shard range ids already checked in the current batch, so a batch of a hundred writes to one
 * shard reads the shard row once. Used by the writer thread only.
 */
final class WriterSession {
  private final Connection connection;
  private final SqlDialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<Integer, Long> checkedRangeIds = new HashMap<>();

  WriterSession(Connection connection, SqlDialect dialect) {
    this.connection = requireNonNull(connection, "connection is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  Connection connection() {
    return connection;
  }

  SqlDialect dialect() {
    return dialect;
  }

  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** Called at the start of each batch transaction: range ids may have moved since the last one. */
  void beginBatch() {
    checkedRangeIds.clear();
  }

  /** Fencing: fails unless the shard's stored range id is the one the write was computed under. */
  void checkRangeId(int shardId, long expectedRangeId) throws SQLException {
    Long stored = checkedRangeIds.get(shardId);
    if (stored == null) {
      PreparedStatement statement = statement(dialect.lockShardSql());
      statement.setInt(1, shardId);
      try (ResultSet rows = statement.executeQuery()) {
        stored = rows.next() ? rows.getLong(1) : -1L;
      }
      checkedRangeIds.put(shardId, stored);
    }
    if (stored != expectedRangeId) {
      throw new ShardOwnershipLostException(shardId,
          "shard " + shardId + " is at range id " + stored + ", this process holds " + expectedRangeId);
    }
  }

  void closeStatements() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing a statement of a connection being closed anyway: nothing to do
      }
    }
    statements.clear();
  }
}
