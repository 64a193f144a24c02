package dev.hourglass.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A tiny row-mapping helper for reads on the pooled read connections. */
final class ReadQueries {
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** One try and, on a dropped connection, two more on fresh connections (the database may still be starting). */
  private static final int MAX_ATTEMPTS = 3;

  private final HikariDataSource readers;
  private final DatabaseAvailability availability;

  ReadQueries(HikariDataSource readers, DatabaseAvailability availability) {
    this.readers = readers;
    this.availability = availability;
  }

  /**
   * Runs a read. A read that met a connection the database had dropped (a restart, a failover) is
   * run again on a new one: the pool's idle connections are most likely dead too, so they are
   * discarded; reads are idempotent, and a caller should not see UNAVAILABLE for a database that
   * is back. When no connection can be had at all, the database is down: the read fails with
   * UNAVAILABLE, and so do the next ones at once until it answers again ({@link DatabaseAvailability}).
   */
  <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
    for (int attempt = 1; ; attempt++) {
      availability.checkAvailable();
      try {
        return listOnce(sql, binder, mapper);
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !DatabaseAvailability.isConnectionFailure(e) || DatabaseAvailability.isPoolTimeout(e)) {
          throw availability.failed("be read", e);
        }
        readers.getHikariPoolMXBean().softEvictConnections();
      }
    }
  }

  /** A trivial query, for health checks. */
  void ping() {
    list("SELECT 1", statement -> {}, row -> row.getInt(1));
  }

  private <T> List<T> listOnce(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    try (Connection connection = readers.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      List<T> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
      }
      return result;
    }
  }
}
