package dev.hourglass.server.testing;

import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.testing.TemporaryPostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store a test's servers run on: a SQLite file in the test's folder, or, with
 * {@code -Dhourglass.test.store=postgresql} (or {@code HOURGLASS_TEST_STORE=postgresql}), a fresh
 * PostgreSQL database on 127.0.0.1:5432 (see {@link TemporaryPostgresDatabase}) that
 * {@link #close()} drops. One store outlives the servers started on it (restarts, SIGKILLs).
 */
public final class TestingStore implements AutoCloseable {
  private final StoreConfig config;
  private final Optional<TemporaryPostgresDatabase> postgres;

  private TestingStore(StoreConfig config, Optional<TemporaryPostgresDatabase> postgres) {
    this.config = config;
    this.postgres = postgres;
  }

  /** The store the test run selected; {@code directory} holds the SQLite file, if that is the one. */
  public static TestingStore create(Path directory) {
    if (TemporaryPostgresDatabase.selected()) {
      TemporaryPostgresDatabase database = TemporaryPostgresDatabase.create();
      return new TestingStore(database.config(), Optional.of(database));
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestingStore(new StoreConfig.Sqlite(directory.resolve("hourglass.db")), Optional.empty());
  }

  public StoreConfig config() {
    return config;
  }

  /** On PostgreSQL, drops the database (and any connection a killed server left); a SQLite file stays for the folder's owner. */
  @Override
  public void close() {
    postgres.ifPresent(TemporaryPostgresDatabase::close);
  }
}
