package dev.hourglass.store.sql;

import java.sql.SQLException;

/** One unit of a group commit: its statements run inside a savepoint of the batch transaction. */
@FunctionalInterface
interface WriteOperation {
  void apply(WriterSession session) throws SQLException;
}
