package dev.hourglass.store.testing;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * For tests: a fresh, empty PostgreSQL database, dropped again by {@link #close()}.
 *
 * <p>The server is the machine's own (no containers): by default {@code 127.0.0.1:5432}, user
 * {@code postgres} with trust authentication, as CI has it. System properties
 * {@code hourglass.test.postgres.url} (a JDBC URL of a database to connect to for
 * {@code CREATE DATABASE}), {@code hourglass.test.postgres.user} and
 * {@code hourglass.test.postgres.password} point elsewhere. Names are random, so test runs of
 * several engineers on one server never meet.
 */
public final class TemporaryPostgresDatabase implements AutoCloseable {
  private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private final String adminUrl;
  private final Properties credentials;
  private final String name;
  private final StoreConfig.Postgres config;

  private TemporaryPostgresDatabase(String adminUrl, Properties credentials, String name) {
    this.adminUrl = adminUrl;
    this.credentials = credentials;
    this.name = name;
    String base = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1);
    this.config = new StoreConfig.Postgres(base + name, credentials.getProperty("user"), credentials.getProperty("password"));
  }

  /** Creates a database with a new random name. */
  public static TemporaryPostgresDatabase create() {
    String adminUrl = System.getProperty("hourglass.test.postgres.url", DEFAULT_ADMIN_URL);
    Properties credentials = new Properties();
    credentials.setProperty("user", System.getProperty("hourglass.test.postgres.user", "postgres"));
    credentials.setProperty("password", System.getProperty("hourglass.test.postgres.password", ""));
    String name = "hourglass_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TemporaryPostgresDatabase database = new TemporaryPostgresDatabase(adminUrl, credentials, name);
    database.execute("CREATE DATABASE " + name);
    return database;
  }

  /** Whether the tests were asked to run on PostgreSQL ({@code -Dhourglass.test.store=postgresql} or {@code HOURGLASS_TEST_STORE}). */
  public static boolean selected() {
    String store = System.getProperty("hourglass.test.store", requireNonNullElse(System.getenv("HOURGLASS_TEST_STORE"), "sqlite"));
    return store.equalsIgnoreCase("postgresql") || store.equalsIgnoreCase("postgres");
  }

  private static String requireNonNullElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  public String name() {
    return name;
  }

  /** How a server (or a store test) reaches this database. */
  public StoreConfig.Postgres config() {
    return config;
  }

  /** Drops the database, ending any connection still open on it (a SIGKILLed server's, say). */
  @Override
  public void close() {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private void execute(String sql) {
    requireNonNull(sql, "sql is null");
    try (Connection connection = DriverManager.getConnection(adminUrl, credentials);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test PostgreSQL at " + adminUrl + ": " + sql + " failed: " + e.getMessage(), e);
    }
  }
}
