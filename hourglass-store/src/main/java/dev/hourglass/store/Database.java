package dev.hourglass.store;

/** One opened store (a SQLite file or a PostgreSQL database): its store interfaces, until closed. */
public interface Database extends AutoCloseable {
  Stores stores();

  /** Where the data lives, for logs and the CLI: a file path or a URL without credentials. */
  String location();

  /** Commits what was submitted and releases connections (and, for SQLite, the file). */
  @Override
  void close();
}
