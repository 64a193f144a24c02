package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.store.Database;
import dev.hourglass.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file, owned by one process at a time.
 *
 * <p>Ownership is a lock on the file {@code <db>.lock} held for the life of this object, so a
 * second server on the same file refuses to start instead of corrupting it (SQLite's own locking
 * would let two processes take turns writing, each believing it owns every shard).
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so each commit is on disk before the
 * group-commit writer acknowledges it. Reads use a small pool of separate connections, which WAL
 * lets run alongside the writer and see only committed data.
 */
public final class SqliteDatabase implements Database {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  /** Readers: history reads for polls and long polls; a few suffice on 2 cores. */
  private static final int READER_POOL_SIZE = 4;

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ShardWriters writer;
  private final HikariDataSource readers;
  private final DatabaseAvailability availability;
  private final ReadQueries reads;
  private final Stores stores;

  private SqliteDatabase(Path file, FileChannel lockChannel, FileLock lock, ShardWriters writer, HikariDataSource readers,
      DatabaseAvailability availability) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.writer = writer;
    this.readers = readers;
    this.availability = availability;
    this.reads = new ReadQueries(readers, availability);
    this.stores = SqlStores.stores(reads, writer, LeaseTransactions.onWriter(writer), SqlDialect.sqlite());
  }

  /** {@link #open(Path, MeterRegistry)} with the store's metrics kept nowhere (tests). */
  public static SqliteDatabase open(Path file) {
    return open(file, new SimpleMeterRegistry());
  }

  /**
   * Opens (creating if needed) and migrates the database file.
   *
   * @throws FailedPreconditionException when another process holds the file
   */
  public static SqliteDatabase open(Path file, MeterRegistry metrics) {
    requireNonNull(metrics, "metrics is null");
    Path absolute = requireNonNull(file, "file is null").toAbsolutePath();
    FileChannel lockChannel = null;
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        throw new FailedPreconditionException("the data file " + absolute + " is in use by another Hourglass process (lock "
            + lockFile + " is held)");
      }
      Migrations.migrate(Flyway.configure().dataSource(dataSource(absolute)), SqlDialect.sqlite(), absolute.toString());
      // A local file is not "unreachable" the way a server is (no SQLite error is a connection
      // error), but the same tracker keeps the read and write paths one for both dialects.
      DatabaseAvailability availability = new DatabaseAvailability("the SQLite file " + absolute,
          () -> writerConnection(absolute).close(), () -> {}, metrics);
      // One writer: SQLite lets one connection write at a time.
      ShardWriters writer = new ShardWriters(List.of(
          new GroupCommitWriter(() -> writerConnection(absolute), SqlDialect.sqlite(), "hourglass-sqlite-writer", availability, metrics)));
      HikariDataSource readers = readerPool(absolute, metrics);
      log.atInfo().addKeyValue("file", absolute).log("SQLite store opened");
      return new SqliteDatabase(absolute, lockChannel, lock, writer, readers, availability);
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new UncheckedIOException("cannot open " + absolute + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      closeQuietly(lockChannel);
      throw new FailedPreconditionException("cannot open the SQLite file " + absolute + ": " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private static Connection writerConnection(Path file) throws SQLException {
    Connection connection = dataSource(file).getConnection();
    connection.setAutoCommit(false);
    return connection;
  }

  private static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    // BEGIN IMMEDIATE: the writer takes the write lock when its transaction starts, never
    // halfway through (no SQLITE_BUSY on upgrade from a read lock).
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setCacheSize(-32_768); // KiB: 32 MiB of page cache per connection
    // The driver would otherwise prepare and run a "last_insert_rowid()" query after every insert,
    // for getGeneratedKeys, which Hourglass never calls: our keys are our own (docs/performance.md).
    config.setGetGeneratedKeys(false);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file);
    return dataSource;
  }

  private static HikariDataSource readerPool(Path file, MeterRegistry metrics) {
    HikariConfig config = new HikariConfig();
    // Readers are ordinary connections that only ever read: SQLite's read-only open mode cannot be
    // combined with a pool that resets connection flags.
    config.setDataSource(dataSource(file));
    config.setPoolName("hourglass-sqlite-readers");
    config.setMaximumPoolSize(READER_POOL_SIZE);
    config.setMinimumIdle(READER_POOL_SIZE);
    config.setAutoCommit(true);
    config.setMetricRegistry(metrics);
    return new HikariDataSource(config);
  }

  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public Stores stores() {
    return stores;
  }

  @Override
  public Optional<String> checkHealth(Duration timeout) {
    return availability.check(timeout, reads::ping);
  }

  @Override
  public void onRecovery(Runnable listener) {
    availability.addRecoveryListener(listener);
  }

  /** Commits what was submitted, closes connections, releases the file. */
  @Override
  public void close() {
    availability.close();
    writer.close();
    readers.close();
    try {
      lock.release();
    } catch (IOException e) {
      log.warn("releasing the lock on {} failed", file, e);
    }
    closeQuietly(lockChannel);
    log.atInfo().addKeyValue("file", file).log("SQLite store closed");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }
}
