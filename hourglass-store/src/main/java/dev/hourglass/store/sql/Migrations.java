package dev.hourglass.store.sql;

import dev.hourglass.common.FailedPreconditionException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Brings a database's schema to this binary's version, the same way for both dialects. */
final class Migrations {
  private Migrations() {}

  /**
   * Applies this binary's pending migrations.
   *
   * @param connection {@code Flyway.configure()} with the database's data source set
   *
   * @throws FailedPreconditionException when the database holds migrations this binary does not
   *     know: a newer Hourglass wrote it, and running older code on it could lose data. (Flyway
   *     itself ignores such "future" migrations by default.)
   */
  static void migrate(FluentConfiguration connection, SqlDialect dialect, String location) {
    Flyway flyway = connection.locations(dialect.migrationLocation()).load();
    MigrationInfo[] future = Arrays.stream(flyway.info().all())
        .filter(info -> info.getState() == MigrationState.FUTURE_SUCCESS || info.getState() == MigrationState.FUTURE_FAILED)
        .toArray(MigrationInfo[]::new);
    if (future.length > 0) {
      String versions = Arrays.stream(future).map(info -> String.valueOf(info.getVersion())).collect(Collectors.joining(", "));
      MigrationInfo current = flyway.info().current();
      throw new FailedPreconditionException("the database schema at " + location + " is at version "
          + (current == null ? versions : current.getVersion()) + ", newer than this Hourglass binary supports (it knows up to "
          + latestKnown(flyway) + "); run a newer Hourglass");
    }
    flyway.migrate();
  }

  private static String latestKnown(Flyway flyway) {
    MigrationInfo[] all = flyway.info().all();
    String latest = "none";
    for (MigrationInfo info : all) {
      if (info.getState() != MigrationState.FUTURE_SUCCESS && info.getState() != MigrationState.FUTURE_FAILED && info.getVersion() != null) {
        latest = info.getVersion().toString();
      }
    }
    return latest;
  }
}
