package dev.hourglass.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.UnavailableException;
import dev.hourglass.store.Database;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.testing.TemporaryPostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The store contract on PostgreSQL (127.0.0.1:5432, see {@link TemporaryPostgresDatabase}), and what
 * only a shared database adds. {@code -Dhourglass.postgres.skip=true} skips it on a machine
 * without PostgreSQL, as it skips the acceptance tests' PostgreSQL run.
 */
@DisabledIfSystemProperty(named = "hourglass.postgres.skip", matches = "true")
class PostgresStoreTest extends StoreContractTest {
  private TemporaryPostgresDatabase temporary;

  @Override
  protected Database openDatabase() {
    if (temporary == null) {
      temporary = TemporaryPostgresDatabase.create();
    }
    return PostgresDatabase.open(temporary.config());
  }

  @Override
  protected void executeDirectly(String sql) throws SQLException {
    StoreConfig.Postgres config = temporary.config();
    try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  protected void afterClose() {
    if (temporary != null) {
      temporary.close();
    }
  }

  @Test
  void aSecondProcessTakingTheShardFencesTheFirstOnesWrites() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    try (Database second = PostgresDatabase.open(temporary.config())) {
      long secondRangeId = second.stores().shards().acquireShard(0, "second-process");
      assertThat(secondRangeId).isGreaterThan(rangeId);

      ExecutionWrite fromFirst = new ExecutionWrite(rangeId, record(key), 0, Optional.empty(), List.of(), List.of(), List.of(),
          List.of(), List.of());
      assertThatThrownBy(() -> stores.executions().write(fromFirst).join()).hasCauseInstanceOf(ShardOwnershipLostException.class);

      ExecutionWrite fromSecond = new ExecutionWrite(secondRangeId, record(key), 0, Optional.empty(), List.of(), List.of(), List.of(),
          List.of(), List.of());
      second.stores().executions().write(fromSecond).join();
      assertThat(stores.executions().getExecution(key)).isPresent();
    }
  }

  @Test
  void afterTheDatabaseDroppedItsConnectionsWritesGoThroughAgain() throws SQLException {
    ExecutionKey before = new ExecutionKey("ns", "wf-before", "run-1");
    stores.executions().write(new ExecutionWrite(rangeId, record(before), 0, Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of())).join();

    // What a database restart does to this process: every connection it holds is gone.
    executeDirectly("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

    ExecutionKey after = new ExecutionKey("ns", "wf-after", "run-1");
    ExecutionWrite write = new ExecutionWrite(rangeId, record(after), 0, Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    // The first write may meet the dead connection (UNAVAILABLE, not acknowledged); the writer
    // reconnects, and a retry, as the SDK makes one, goes through.
    try {
      stores.executions().write(write).join();
    } catch (CompletionException e) {
      assertThat(e).hasCauseInstanceOf(UnavailableException.class);
      stores.executions().write(write).join();
    }
    assertThat(stores.executions().getExecution(after)).isPresent();
    assertThat(stores.executions().getExecution(before)).isPresent();
  }

  @Test
  void anUnreachableServerIsReportedInOneLine() {
    StoreConfig.Postgres nowhere = new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1:1/hourglass", "postgres", "");
    assertThatThrownBy(() -> PostgresDatabase.open(nowhere)).isInstanceOf(FailedPreconditionException.class)
        .hasMessageStartingWith("cannot reach the PostgreSQL database postgresql://127.0.0.1:1/hourglass (user postgres)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anUnknownUserIsReportedInOneLine() {
    StoreConfig.Postgres config = new StoreConfig.Postgres(temporary.config().jdbcUrl(), "no_such_hourglass_role", "secret");
    assertThatThrownBy(() -> PostgresDatabase.open(config)).isInstanceOf(FailedPreconditionException.class)
        .hasMessageStartingWith("cannot log in to the PostgreSQL database").hasMessageNotContaining("\n");
  }

  @Test
  void aMissingDatabaseIsReportedInOneLine() {
    String url = temporary.config().jdbcUrl() + "_missing";
    StoreConfig.Postgres config = new StoreConfig.Postgres(url, "postgres", "");
    assertThatThrownBy(() -> PostgresDatabase.open(config)).isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("does not exist; create it first").hasMessageNotContaining("\n");
  }

  private static ExecutionRecord record(ExecutionKey key) {
    return new ExecutionRecord(key, 0, 1, 1, "Type", "queue", 0, 0, 2, new byte[] {42});
  }
}
