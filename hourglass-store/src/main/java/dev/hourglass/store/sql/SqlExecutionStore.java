package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.CurrentExecutionWrite;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.HistoryBatch;
import dev.hourglass.store.NewRunWrite;
import dev.hourglass.store.TaskKey;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TimerRecord;
import dev.hourglass.store.VisibilityRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link ExecutionStore} on SQL: reads on pooled readers, writes through the group-commit writer. */
final class SqlExecutionStore implements ExecutionStore {
  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlExecutionStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
  }

  @Override
  public Optional<ExecutionRecord> getExecution(ExecutionKey key) {
    return reads.list(ExecutionSql.SELECT_EXECUTION, statement -> {
      statement.setString(1, key.namespaceId());
      statement.setString(2, key.workflowId());
      statement.setString(3, key.runId());
    }, row -> new ExecutionRecord(key, row.getInt(1), row.getLong(2), row.getInt(3), row.getString(4), row.getString(5),
        row.getLong(6), row.getLong(7), row.getLong(8), row.getBytes(9))).stream().findFirst();
  }

  @Override
  public Optional<CurrentExecution> getCurrentExecution(WorkflowKey key) {
    return reads.list(ExecutionSql.SELECT_CURRENT, statement -> {
      statement.setString(1, key.namespaceId());
      statement.setString(2, key.workflowId());
    }, row -> new CurrentExecution(key.namespaceId(), key.workflowId(), row.getString(1), row.getInt(2), row.getString(3)))
        .stream().findFirst();
  }

  @Override
  public List<CurrentExecution> listOpenCurrentExecutions(String namespaceId, String workflowIdPrefix, String afterWorkflowId, int limit) {
    // Every id with the prefix sorts before the prefix with its last character incremented.
    String end = workflowIdPrefix.substring(0, workflowIdPrefix.length() - 1)
        + (char) (workflowIdPrefix.charAt(workflowIdPrefix.length() - 1) + 1);
    String after = afterWorkflowId.compareTo(workflowIdPrefix) < 0 ? workflowIdPrefix : afterWorkflowId;
    return reads.list(ExecutionSql.SELECT_OPEN_CURRENT_RANGE, statement -> {
      statement.setString(1, namespaceId);
      statement.setString(2, after);
      statement.setString(3, end);
      statement.setInt(4, limit);
    }, row -> new CurrentExecution(namespaceId, row.getString(1), row.getString(2), row.getInt(3), row.getString(4)));
  }

  @Override
  public List<HistoryBatch> readHistory(ExecutionKey key, long fromEventId, int maxBatches) {
    return reads.list(ExecutionSql.SELECT_HISTORY, statement -> {
      statement.setString(1, key.namespaceId());
      statement.setString(2, key.workflowId());
      statement.setString(3, key.runId());
      statement.setLong(4, fromEventId);
      statement.setInt(5, maxBatches);
    }, row -> new HistoryBatch(row.getLong(1), row.getLong(2), row.getBytes(3)));
  }

  @Override
  public CompletableFuture<Void> write(ExecutionWrite write) {
    return writer.submit(write.execution().shardId(), session -> apply(session, write));
  }

  @Override
  public CompletableFuture<Void> deleteClosedRun(long rangeId, int shardId, ExecutionKey key) {
    return writer.submit(shardId, session -> {
      session.checkRangeId(shardId, rangeId);
      if (executeForKey(session, ExecutionSql.DELETE_CLOSED_EXECUTION, key) == 0) {
        return; // open, or already deleted: nothing else may go
      }
      executeForKey(session, ExecutionSql.DELETE_HISTORY, key);
      executeForKey(session, ExecutionSql.DELETE_CURRENT_IF_RUN, key);
      SqlVisibilityStore.delete(session, key.namespaceId(), key.runId());
    });
  }

  private static int executeForKey(WriterSession session, String sql, ExecutionKey key) throws SQLException {
    PreparedStatement statement = session.statement(sql);
    statement.setString(1, key.namespaceId());
    statement.setString(2, key.workflowId());
    statement.setString(3, key.runId());
    return statement.executeUpdate();
  }

  private static void apply(WriterSession session, ExecutionWrite write) throws SQLException {
    ExecutionRecord execution = write.execution();
    ExecutionKey key = execution.key();
    session.checkRangeId(execution.shardId(), write.rangeId());
    if (write.expectedDbVersion() == 0) {
      insertExecution(session, execution);
    } else {
      updateExecution(session, execution, write.expectedDbVersion());
    }
    if (write.current().isPresent()) {
      writeCurrent(session, write.current().get());
    }
    insertHistory(session, key, write.history());
    for (TaskRecord task : write.newTasks()) {
      SqlTaskStore.insert(session, task);
    }
    for (TaskKey task : write.deletedTasks()) {
      SqlTaskStore.delete(session, task);
    }
    for (TimerRecord timer : write.newTimers()) {
      SqlTimerStore.insert(session, timer);
    }
    for (long timerId : write.deletedTimerIds()) {
      SqlTimerStore.delete(session, execution.shardId(), timerId);
    }
    if (write.newRun().isPresent()) {
      NewRunWrite newRun = write.newRun().get();
      session.checkRangeId(newRun.execution().shardId(), write.rangeId());
      insertExecution(session, newRun.execution());
      insertHistory(session, newRun.execution().key(), newRun.history());
      for (TaskRecord task : newRun.tasks()) {
        SqlTaskStore.insert(session, task);
      }
      for (TimerRecord timer : newRun.timers()) {
        SqlTimerStore.insert(session, timer);
      }
    }
    for (VisibilityRecord visibility : write.visibility()) {
      SqlVisibilityStore.upsert(session, visibility);
    }
  }

  private static void insertHistory(WriterSession session, ExecutionKey key, List<HistoryBatch> batches) throws SQLException {
    for (HistoryBatch batch : batches) {
      PreparedStatement statement = session.statement(ExecutionSql.INSERT_HISTORY);
      statement.setString(1, key.namespaceId());
      statement.setString(2, key.workflowId());
      statement.setString(3, key.runId());
      statement.setLong(4, batch.firstEventId());
      statement.setLong(5, batch.lastEventId());
      statement.setBytes(6, batch.events());
      executeInsert(session, statement, "history of " + key + " from event " + batch.firstEventId());
    }
  }

  private static void insertExecution(WriterSession session, ExecutionRecord execution) throws SQLException {
    PreparedStatement statement = session.statement(ExecutionSql.INSERT_EXECUTION);
    ExecutionKey key = execution.key();
    statement.setString(1, key.namespaceId());
    statement.setString(2, key.workflowId());
    statement.setString(3, key.runId());
    statement.setInt(4, execution.shardId());
    statement.setLong(5, execution.dbVersion());
    statement.setInt(6, execution.status());
    statement.setString(7, execution.workflowType());
    statement.setString(8, execution.taskQueue());
    statement.setLong(9, execution.startTimeMillis());
    statement.setLong(10, execution.closeTimeMillis());
    statement.setLong(11, execution.nextEventId());
    statement.setBytes(12, execution.state());
    executeInsert(session, statement, "execution " + key);
  }

  private static void updateExecution(WriterSession session, ExecutionRecord execution, long expectedDbVersion) throws SQLException {
    PreparedStatement statement = session.statement(ExecutionSql.UPDATE_EXECUTION);
    ExecutionKey key = execution.key();
    statement.setLong(1, execution.dbVersion());
    statement.setInt(2, execution.status());
    statement.setLong(3, execution.closeTimeMillis());
    statement.setLong(4, execution.nextEventId());
    statement.setBytes(5, execution.state());
    statement.setString(6, key.namespaceId());
    statement.setString(7, key.workflowId());
    statement.setString(8, key.runId());
    statement.setLong(9, expectedDbVersion);
    if (statement.executeUpdate() != 1) {
      throw new ConditionFailedException("execution " + key + " is no longer at version " + expectedDbVersion);
    }
  }

  private static void writeCurrent(WriterSession session, CurrentExecutionWrite write) throws SQLException {
    CurrentExecution row = write.row();
    if (write.expectedRunId().isEmpty()) {
      PreparedStatement statement = session.statement(ExecutionSql.INSERT_CURRENT);
      statement.setString(1, row.namespaceId());
      statement.setString(2, row.workflowId());
      statement.setString(3, row.runId());
      statement.setInt(4, row.status());
      statement.setString(5, row.startRequestId());
      executeInsert(session, statement, "current run of " + row.workflowId());
      return;
    }
    PreparedStatement statement = session.statement(ExecutionSql.UPDATE_CURRENT);
    statement.setString(1, row.runId());
    statement.setInt(2, row.status());
    statement.setString(3, row.startRequestId());
    statement.setString(4, row.namespaceId());
    statement.setString(5, row.workflowId());
    statement.setString(6, write.expectedRunId().get());
    if (statement.executeUpdate() != 1) {
      throw new ConditionFailedException("current run of " + row.workflowId() + " is no longer " + write.expectedRunId().get());
    }
  }

  /** An insert that hits an existing key means another writer got there first: a conflict, not a crash. */
  static void executeInsert(WriterSession session, PreparedStatement statement, String what) throws SQLException {
    try {
      statement.executeUpdate();
    } catch (SQLException e) {
      if (session.dialect().isUniqueViolation(e)) {
        throw new ConditionFailedException(what + " exists already");
      }
      throw e;
    }
  }
}
