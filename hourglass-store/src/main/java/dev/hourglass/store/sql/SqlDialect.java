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
    };
  }
}
