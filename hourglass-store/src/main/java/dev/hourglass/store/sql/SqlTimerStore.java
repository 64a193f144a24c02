package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.TimerRecord;
import dev.hourglass.store.TimerStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link TimerStore} on SQL. */
final class SqlTimerStore implements TimerStore {
  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlTimerStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
  }

  @Override
  public List<TimerRecord> readTimers(int shardId, long afterFireTimeMillis, long afterTimerId, long beforeMillis, int limit) {
    return reads.list(TimerSql.SELECT_TIMERS, statement -> {
      statement.setInt(1, shardId);
      statement.setLong(2, beforeMillis);
      statement.setLong(3, afterFireTimeMillis);
      statement.setLong(4, afterFireTimeMillis);
      statement.setLong(5, afterTimerId);
      statement.setInt(6, limit);
    }, row -> new TimerRecord(shardId, row.getLong(1), row.getLong(2),
        new ExecutionKey(row.getString(3), row.getString(4), row.getString(5)),
        row.getInt(6), row.getLong(7), row.getInt(8), row.getString(9)));
  }

  @Override
  public CompletableFuture<Void> deleteTimers(long rangeId, int shardId, List<Long> timerIds) {
    List<Long> copy = List.copyOf(timerIds);
    return writer.submit(shardId, session -> {
      session.checkRangeId(shardId, rangeId);
      for (long timerId : copy) {
        delete(session, shardId, timerId);
      }
    });
  }

  static void insert(WriterSession session, TimerRecord timer) throws SQLException {
    PreparedStatement statement = session.statement(TimerSql.INSERT_TIMER);
    statement.setInt(1, timer.shardId());
    statement.setLong(2, timer.timerId());
    statement.setLong(3, timer.fireTimeMillis());
    statement.setString(4, timer.execution().namespaceId());
    statement.setString(5, timer.execution().workflowId());
    statement.setString(6, timer.execution().runId());
    statement.setInt(7, timer.kind());
    statement.setLong(8, timer.eventId());
    statement.setInt(9, timer.attempt());
    statement.setString(10, timer.name());
    SqlExecutionStore.executeInsert(session, statement, "timer " + timer.timerId());
  }

  static void delete(WriterSession session, int shardId, long timerId) throws SQLException {
    PreparedStatement statement = session.statement(TimerSql.DELETE_TIMER);
    statement.setInt(1, shardId);
    statement.setLong(2, timerId);
    statement.executeUpdate();
  }
}
