package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.store.Database;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production store: a PostgreSQL database, which several Hourglass processes may share.
 *
 * <p>Writes go through the same group-commit writers as on SQLite, but several, each owning a
 * fixed set of shards ({@link ShardWriters}), each on a connection of a pool of their own (so a
 * lost connection is replaced by the pool); reads use a second pool. Fencing does
 * not rely on one process per database: each batch reads the range id of every shard it writes
 * with {@code SELECT ... FOR SHARE}, so a process that took a shard since (and so moved its range
 * id on) fences every later write of the previous owner, which fails with ShardOwnershipLost.
 *
 * <p>Durability: PostgreSQL's defaults ({@code synchronous_commit=on}): a commit returns once its
 * WAL is flushed, and the writer acknowledges nothing before the commit returned.
 */
public final class PostgresDatabase implements Database {
  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  /** Readers: history reads for polls and long polls, and the timer queues' windows. */
  private static final int READER_POOL_SIZE = 8;
  /** Group-commit writers, each on its own connection, each owning shardId mod WRITERS. */
  private static final int WRITERS = Integer.getInteger("hourglass.pg.writers", 4);
  /**
   * How long a request waits for a pooled connection before it fails with UNAVAILABLE. Only the
   * calls that meet a database just gone wait this long: they start an outage, and until it ends
   * calls fail at once ({@link DatabaseAvailability}).
   */
  private static final long CONNECTION_TIMEOUT_MILLIS = 3_000;
  /**
   * Seconds a statement may wait for the database's answer before its connection is given up:
   * a network that silently drops packets would otherwise hold a writer (and every write of its
   * shards) until the operating system's TCP timeout, many minutes. Far above any real batch or
   * read, so it only ever ends a connection that is gone.
   */
  private static final String SOCKET_TIMEOUT_SECONDS = "60";
  /**
   * How long the database keeps a transaction whose client has gone quiet before it ends the
   * session. A process cut off from the database mid-transaction (its statements arrived, their
   * answers did not) would otherwise leave that transaction open, holding its locks on the
   * {@code shards} or {@code shard_leases} rows, until the database's TCP keepalives notice —
   * hours by default — and no other process could take the shards meanwhile. Our transactions
   * never wait on anything but the database between statements, so an idle one is a lost one; at
   * the lease's 5 s, the locks are gone by the time another process may take the shards.
   */
  private static final String IDLE_TRANSACTION_TIMEOUT = "-c idle_in_transaction_session_timeout=5s";
  /** Connect and socket timeout of the outage probe, in seconds. */
  private static final String PROBE_TIMEOUT_SECONDS = "2";

  private final StoreConfig.Postgres config;
  private final HikariDataSource writerPool;
  private final ShardWriters writer;
  private final HikariDataSource readers;
  private final HikariDataSource clusterPool;
  private final DatabaseAvailability availability;
  private final ReadQueries reads;
  private final Stores stores;

  private PostgresDatabase(StoreConfig.Postgres config, HikariDataSource writerPool, ShardWriters writer, HikariDataSource readers,
      HikariDataSource clusterPool, DatabaseAvailability availability) {
    this.config = config;
    this.writerPool = writerPool;
    this.writer = writer;
    this.readers = readers;
    this.clusterPool = clusterPool;
    this.availability = availability;
    this.reads = new ReadQueries(readers, availability);
    this.stores = SqlStores.stores(reads, writer, LeaseTransactions.onPool(clusterPool), SqlDialect.postgresql());
  }

  /** {@link #open(StoreConfig.Postgres, MeterRegistry)} with the store's metrics kept nowhere (tests). */
  public static PostgresDatabase open(StoreConfig.Postgres config) {
    return open(config, new SimpleMeterRegistry());
  }

  /**
   * Connects, migrates the schema and starts the writer.
   *
   * @throws FailedPreconditionException with a one-line reason an operator can act on when the
   *     database is unreachable, refuses the credentials, does not exist, or has a newer schema
   */
  public static PostgresDatabase open(StoreConfig.Postgres config, MeterRegistry metrics) {
    requireNonNull(config, "config is null");
    requireNonNull(metrics, "metrics is null");
    HikariDataSource writerPool = null;
    HikariDataSource readers = null;
    HikariDataSource clusterPool = null;
    DatabaseAvailability availability = null;
    try {
      // Flyway opens connections of its own (one for its lock, one to migrate): not the pool's.
      // Given URL and credentials apart, it logs the URL without the password.
      Migrations.migrate(Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
          .connectRetries(0), SqlDialect.postgresql(), config.location());
      writerPool = pool(config, "hourglass-pg-writers", WRITERS, false, metrics);
      readers = pool(config, "hourglass-pg-readers", READER_POOL_SIZE, true, metrics);
      clusterPool = clusterPool(config, metrics);
      HikariDataSource writerConnections = writerPool;
      HikariDataSource readerConnections = readers;
      availability = new DatabaseAvailability("the PostgreSQL database " + config.location(), () -> probe(config), () -> {
        writerConnections.getHikariPoolMXBean().softEvictConnections();
        readerConnections.getHikariPoolMXBean().softEvictConnections();
      }, metrics);
      // The pool hands out connections with auto-commit off, one per writer; after a lost
      // connection a writer closes it (back to the pool, which discards it) and asks for the next.
      List<GroupCommitWriter> writers = new ArrayList<>();
      try {
        for (int i = 0; i < WRITERS; i++) {
          writers.add(new GroupCommitWriter(writerPool::getConnection, SqlDialect.postgresql(), "hourglass-pg-writer-" + i,
              availability, metrics));
        }
      } catch (SQLException e) {
        writers.forEach(GroupCommitWriter::close);
        throw e;
      }
      ShardWriters writer = new ShardWriters(writers);
      log.atInfo().addKeyValue("url", config.location()).addKeyValue("user", config.user()).log("PostgreSQL store opened");
      return new PostgresDatabase(config, writerPool, writer, readers, clusterPool, availability);
    } catch (HikariPool.PoolInitializationException | SQLException | FlywayException e) {
      closeQuietly(clusterPool, readers, writerPool, availability);
      throw new FailedPreconditionException(describe(config, e));
    } catch (RuntimeException e) {
      closeQuietly(clusterPool, readers, writerPool, availability);
      throw e;
    }
  }

  /** The outage probe: a connection of its own with short timeouts, not a pooled one (the pools' waits are long). */
  private static void probe(StoreConfig.Postgres config) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", config.user());
    properties.setProperty("password", config.password());
    properties.setProperty("connectTimeout", PROBE_TIMEOUT_SECONDS);
    properties.setProperty("socketTimeout", PROBE_TIMEOUT_SECONDS);
    properties.setProperty("ApplicationName", "hourglass-probe");
    try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    }
  }

  /**
   * Two connections for heartbeats and shard leases, apart from the writers and readers so load
   * cannot delay a renewal. Their statements are bounded to 2 s: a renewal that hangs on a lock or
   * a dead network must fail well within the 5 s lease, so the next one (a second later) can
   * still succeed (the watchdog gives the shards up anyway if none does).
   */
  private static HikariDataSource clusterPool(StoreConfig.Postgres config, MeterRegistry metrics) {
    HikariConfig hikari = configuration(config, "hourglass-pg-cluster", 2, false, metrics);
    hikari.addDataSourceProperty("options", IDLE_TRANSACTION_TIMEOUT + " -c statement_timeout=2s");
    hikari.addDataSourceProperty("socketTimeout", "3");
    hikari.setConnectionTimeout(2_000);
    hikari.setValidationTimeout(1_000);
    return new HikariDataSource(hikari);
  }

  private static HikariDataSource pool(StoreConfig.Postgres config, String name, int size, boolean autoCommit, MeterRegistry metrics) {
    return new HikariDataSource(configuration(config, name, size, autoCommit, metrics));
  }

  private static HikariConfig configuration(StoreConfig.Postgres config, String name, int size, boolean autoCommit,
      MeterRegistry metrics) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setPoolName(name);
    hikari.setMaximumPoolSize(size);
    hikari.setMinimumIdle(size);
    hikari.setAutoCommit(autoCommit);
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    // Fail the start at once when the database cannot be reached, rather than on first use.
    hikari.setInitializationFailTimeout(1);
    hikari.addDataSourceProperty("ApplicationName", "hourglass");
    hikari.addDataSourceProperty("connectTimeout", "5");
    hikari.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.addDataSourceProperty("options", IDLE_TRANSACTION_TIMEOUT);
    // hikaricp_connections_* series, by pool name.
    hikari.setMetricRegistry(metrics);
    return hikari;
  }

  /** One line naming the database and what is wrong with reaching it, without a stack trace. */
  static String describe(StoreConfig.Postgres config, Exception error) {
    SQLException sql = findSqlException(error);
    String where = "the PostgreSQL database " + config.location() + " (user " + config.user() + ")";
    if (sql != null && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      if (state.equals("28P01") || state.equals("28000")) {
        return "cannot log in to " + where + ": " + firstLine(sql.getMessage());
      }
      if (state.equals("3D000")) {
        return where + " does not exist; create it first (see README, Running on PostgreSQL): " + firstLine(sql.getMessage());
      }
      if (state.startsWith("08")) {
        return "cannot reach " + where + ": " + firstLine(sql.getMessage());
      }
    }
    Throwable root = sql != null ? sql : error;
    return "cannot open " + where + ": " + firstLine(String.valueOf(root.getMessage()));
  }

  private static SQLException findSqlException(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }

  @Override
  public Stores stores() {
    return stores;
  }

  @Override
  public String location() {
    return config.location();
  }

  @Override
  public Optional<String> checkHealth(Duration timeout) {
    return availability.check(timeout, reads::ping);
  }

  @Override
  public void onRecovery(Runnable listener) {
    availability.addRecoveryListener(listener);
  }

  @Override
  public void close() {
    availability.close();
    writer.close();
    clusterPool.close();
    readers.close();
    writerPool.close();
    log.atInfo().addKeyValue("url", config.location()).log("PostgreSQL store closed");
  }

  private static void closeQuietly(HikariDataSource clusterPool, HikariDataSource readers, HikariDataSource writerPool,
      DatabaseAvailability availability) {
    if (availability != null) {
      availability.close();
    }
    if (clusterPool != null) {
      clusterPool.close();
    }
    if (readers != null) {
      readers.close();
    }
    if (writerPool != null) {
      writerPool.close();
    }
  }
}
