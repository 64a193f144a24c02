package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.hourglass.common.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where lease and membership statements run. On PostgreSQL: connections of their own, so a lease
 * renewal is never queued behind a busy group-commit writer's batches (a renewal starved by load
 * would make the active process give its shards up) and never shares a transaction with
 * execution writes (which hold shard rows FOR SHARE: mixing the two could deadlock). On SQLite:
 * the one writer, the only connection that may write.
 */
abstract class LeaseTransactions {
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction and returns its result. */
  abstract <T> T run(Work<T> work);

  static LeaseTransactions onWriter(ShardWriters writer) {
    requireNonNull(writer, "writer is null");
    return new LeaseTransactions() {
      @Override
      <T> T run(Work<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        // Set on every run: a batch that failed is replayed, running the work again.
        writer.submit(session -> result.set(work.apply(session.connection()))).join();
        return result.get();
      }
    };
  }

  static LeaseTransactions onPool(HikariDataSource pool) {
    requireNonNull(pool, "pool is null");
    return new LeaseTransactions() {
      @Override
      <T> T run(Work<T> work) {
        try (Connection connection = pool.getConnection()) {
          try {
            T result = work.apply(connection);
            connection.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
          }
        } catch (SQLException e) {
          UnavailableException failure = new UnavailableException("the cluster's lease statements failed: " + e.getMessage());
          failure.initCause(e);
          throw failure;
        }
      }
    };
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }
}
