package dev.hourglass.store;

import java.time.Duration;
import java.util.Optional;

/** One opened store (a SQLite file or a PostgreSQL database): its store interfaces, until closed. */
public interface Database extends AutoCloseable {
  Stores stores();

  /** Where the data lives, for logs and the CLI: a file path or a URL without credentials. */
  String location();

  /**
   * Empty when the store answers a trivial query within {@code timeout}; otherwise why not (the
   * database is unreachable since when, or too slow). For readiness checks.
   */
  Optional<String> checkHealth(Duration timeout);

  /**
   * Runs {@code listener} each time the database answers again after an outage, once the store
   * accepts reads and writes. A write whose commit the outage cut off may have landed without its
   * caller knowing, so whatever announces committed work (timers, task backlogs) re-reads it then.
   */
  void onRecovery(Runnable listener);

  /** Commits what was submitted and releases connections (and, for SQLite, the file). */
  @Override
  void close();
}
