package dev.hourglass.store.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {
  @TempDir
  Path directory;

  @Override
  protected Database openDatabase() {
    return SqliteDatabase.open(directory.resolve("store.db"));
  }

  @Override
  protected void executeDirectly(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store.db"));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void secondOpenOfTheSameFileIsRefused() {
    assertThatThrownBy(() -> SqliteDatabase.open(directory.resolve("store.db")))
        .isInstanceOf(FailedPreconditionException.class).hasMessageContaining("in use by another Hourglass process");
  }
}
