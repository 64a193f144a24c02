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
import java.util.List;
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
  private final Stores stores;

  private SqliteDatabase(Path file, FileChannel lockChannel, FileLock lock, ShardWriters writer, HikariDataSource readers) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.writer = writer;
    this.readers = readers;
    this.stores = SqlStores.stores(new ReadQueries(readers), writer, LeaseTransactions.onWriter(writer), SqlDialect.sqlite());
  }

  /**
   * Opens (creating if needed) and migrates the database file.
   *
   * @throws FailedPreconditionException when another process holds the file
   */
  public static SqliteDatabase open(Path file) {
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
      // One writer: SQLite lets one connection write at a time.
      ShardWriters writer = new ShardWriters(List.of(
          new GroupCommitWriter(() -> writerConnection(absolute), SqlDialect.sqlite(), "hourglass-sqlite-writer")));
      HikariDataSource readers = readerPool(absolute);
      log.atInfo().addKeyValue("file", absolute).log("SQLite store opened");
      return new SqliteDatabase(absolute, lockChannel, lock, writer, readers);
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
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file);
    return dataSource;
  }

  private static HikariDataSource readerPool(Path file) {
    HikariConfig config = new HikariConfig();
    // Readers are ordinary connections that only ever read: SQLite's read-only open mode cannot be
    // combined with a pool that resets connection flags.
    config.setDataSource(dataSource(file));
    config.setPoolName("hourglass-sqlite-readers");
    config.setMaximumPoolSize(READER_POOL_SIZE);
    config.setMinimumIdle(READER_POOL_SIZE);
    config.setAutoCommit(true);
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

  /** Commits what was submitted, closes connections, releases the file. */
  @Override
  public void close() {
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
