package dev.hourglass.store.sql;

import java.sql.SQLException;

/**
 * The few places where SQLite and PostgreSQL differ. Everything else is the shared SQL in the
 * {@code *Sql} classes ({@code INSERT ... ON CONFLICT} is valid in both).
 */
interface SqlDialect {
  /** Reads a shard's range id inside a write transaction, holding it against concurrent lease moves. */
  String lockShardSql();

  /** Whether the error is a primary-key or unique violation (someone else wrote that row first). */
  boolean isUniqueViolation(SQLException e);

  /** Flyway location of this dialect's migrations. */
  String migrationLocation();

  /** Prefix that makes a query answer its plan, one step per row in the column {@link #planColumn}. */
  String explainPrefix();

  int planColumn();

  /** The database's clock in milliseconds since the epoch: lease and heartbeat times are all on it. */
  String nowMillis();

  /** Appended to a read inside a write transaction that must hold the rows it read until commit. */
  String forUpdate();

  static SqlDialect postgresql() {
    return new SqlDialect() {
      @Override
      public String lockShardSql() {
        // Several processes may write one database: FOR SHARE holds the shard row until commit,
        // so a process taking the shard (UPDATE ... range_id + 1) waits for this batch to commit,
        // and this batch, if it comes second, reads the moved range id and is fenced.
        return ShardSql.SELECT_RANGE_ID + " FOR SHARE";
      }

      @Override
      public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
      }

      @Override
      public String migrationLocation() {
        return "classpath:db/migration/postgresql";
      }

      @Override
      public String explainPrefix() {
        return "EXPLAIN ";
      }

      @Override
      public int planColumn() {
        return 1;
      }

      @Override
      public String nowMillis() {
        // clock_timestamp(), not now(): now() is the transaction's start, and a batch may be long.
        return "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
      }

      @Override
      public String forUpdate() {
        return " FOR UPDATE";
      }
    };
  }

  static SqlDialect sqlite() {
    return new SqlDialect() {
      @Override
      public String lockShardSql() {
        // SQLite has one writer at a time (BEGIN IMMEDIATE), so a plain read is already stable.
        return ShardSql.SELECT_RANGE_ID;
      }

      @Override
      public boolean isUniqueViolation(SQLException e) {
        // SQLITE_CONSTRAINT is primary result code 19; xerial reports it as the vendor code
        // or only in the message, depending on the path that raised it.
        String message = String.valueOf(e.getMessage());
        return e.getErrorCode() == 19 || message.contains("SQLITE_CONSTRAINT");
      }

      @Override
      public String migrationLocation() {
        return "classpath:db/migration/sqlite";
      }

      @Override
      public String explainPrefix() {
        return "EXPLAIN QUERY PLAN ";
      }

      @Override
      public int planColumn() {
        // id, parent, notused, detail
        return 4;
      }

      @Override
      public String nowMillis() {
        return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
      }

      @Override
      public String forUpdate() {
        // One writer at a time: what the transaction read cannot change under it.
        return "";
      }
    };
  }
}
