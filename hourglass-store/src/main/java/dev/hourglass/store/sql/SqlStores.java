package dev.hourglass.store.sql;

import dev.hourglass.store.Database;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Opens the store a {@link StoreConfig} names; the one place that knows both dialects' databases. */
public final class SqlStores {
  private SqlStores() {}

  /**
   * Opens (creating or migrating as needed) the configured store.
   *
   * @throws dev.hourglass.common.FailedPreconditionException with a one-line reason when the
   *     store cannot be used: file locked, database unreachable, wrong credentials, schema newer
   *     than this binary
   */
  public static Database open(StoreConfig config, MeterRegistry metrics) {
    if (config instanceof StoreConfig.Sqlite sqlite) {
      return SqliteDatabase.open(sqlite.file(), metrics);
    }
    return PostgresDatabase.open((StoreConfig.Postgres) config, metrics);
  }

  /** {@link #open(StoreConfig, MeterRegistry)} with the store's metrics kept nowhere (tests). */
  public static Database open(StoreConfig config) {
    return open(config, new SimpleMeterRegistry());
  }

  /** The store interfaces over one database's readers and writer, the same for both dialects. */
  static Stores stores(ReadQueries reads, ShardWriters writer, LeaseTransactions leases, SqlDialect dialect) {
    return new Stores(
        new SqlExecutionStore(reads, writer),
        new SqlTaskStore(reads, writer),
        new SqlTimerStore(reads, writer),
        new SqlNamespaceStore(reads, writer),
        new SqlShardStore(reads, writer, leases, dialect),
        new SqlVisibilityStore(reads, writer, dialect),
        new SqlNexusEndpointStore(reads, writer));
  }
}
