package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ShardOwnershipLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What write operations see of the writer connection: prepared statements compiled once and kept
 * for the life of the connection (SQLite compiles every statement text anew otherwise), and the
 * shard range ids already checked in the current batch, so a batch of a hundred writes to one
 * shard reads the shard row once. Used by the writer thread only.
 */
final class WriterSession {
  private static final Logger log = LoggerFactory.getLogger(WriterSession.class);

  private final Connection connection;
  private final SqlDialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<Integer, Long> checkedRangeIds = new HashMap<>();
  private final Set<Integer> reportedLostShards = new HashSet<>();

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
      reportLost(shardId, stored, expectedRangeId);
      throw new ShardOwnershipLostException(shardId,
          "shard " + shardId + " is at range id " + stored + ", this process holds " + expectedRangeId);
    }
  }

  /**
   * Says once per shard, loudly, that another process took it: from now on every write of this
   * shard is refused (the caller answers UNAVAILABLE), which an operator must hear about.
   */
  private void reportLost(int shardId, long storedRangeId, long heldRangeId) {
    if (reportedLostShards.add(shardId)) {
      log.atError().addKeyValue("shardId", shardId).addKeyValue("storedRangeId", storedRangeId)
          .addKeyValue("heldRangeId", heldRangeId)
          .log("shard {} was taken by another Hourglass process on the same database; this process no longer writes it "
              + "and answers UNAVAILABLE for its workflows", shardId);
    }
  }

  /** Whether the connection still works; false after the database went away or restarted. */
  boolean isValid() {
    try {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Closes the statements and the connection; the writer opens a new session after this. */
  void close() {
    closeStatements();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // a connection being discarded: nothing more to release
    }
  }

  private void closeStatements() {
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
