package dev.hourglass.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.hourglass.common.UnavailableException;
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

  ReadQueries(HikariDataSource readers) {
    this.readers = readers;
  }

  /**
   * Runs a read. A read that met a connection the database had dropped (a restart, a failover) is
   * run again on a new one: the pool's idle connections are most likely dead too, so they are
   * discarded; reads are idempotent, and a caller should not see UNAVAILABLE for a database that
   * is back.
   */
  <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
    for (int attempt = 1; ; attempt++) {
      try {
        return listOnce(sql, binder, mapper);
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !isLostConnection(e)) {
          UnavailableException failure = new UnavailableException("the store could not be read: " + e.getMessage());
          failure.initCause(e);
          throw failure;
        }
        readers.getHikariPoolMXBean().softEvictConnections();
      }
    }
  }

  /** SQLSTATE class 08 (connection exception) or 57P (operator intervention: shutdown, terminated). */
  private static boolean isLostConnection(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
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
