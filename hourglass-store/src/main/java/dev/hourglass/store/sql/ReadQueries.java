package dev.hourglass.store.sql;

import dev.hourglass.common.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

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

  private final DataSource readers;

  ReadQueries(DataSource readers) {
    this.readers = readers;
  }

  <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
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
    } catch (SQLException e) {
      UnavailableException failure = new UnavailableException("the store could not be read: " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }
}
